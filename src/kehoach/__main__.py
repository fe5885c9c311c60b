from kehoach.cli.app import run

run()
