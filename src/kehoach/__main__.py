from kehoach.cli.door import run

run()
