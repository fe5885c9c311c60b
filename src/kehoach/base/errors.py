"""The one kind of error a user can fix: a message code with its parameters
(the words live in messages.py, in Vietnamese and English) and an exit code.

The library raises it; the command line catches it in one place and prints
the message in the user's language. Exit codes: 1 the work failed (nothing
written), 2 the command was used wrongly, 4 written in part (`collect --partial`:
the valid rows recorded, others refused).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import os

    from kehoach.base.diagnostics import Diagnostic

EXIT_FAIL, EXIT_USAGE, EXIT_PARTIAL = 1, 2, 4


class KehoachError(Exception):
    exit_code = EXIT_FAIL

    def __init__(self, code: str, params: dict[str, object] | None = None,
                 diagnostics: list[Diagnostic] | None = None, exit_code: int | None = None):
        super().__init__(code)
        self.code = code
        self.params = params or {}
        self.diagnostics = diagnostics or []
        if exit_code is not None:
            self.exit_code = exit_code

    def message(self, lang: str = "vi") -> str:
        from kehoach.base.messages import render

        return render(self.code, "message", self.params, lang)

    def hint(self, lang: str = "vi") -> str | None:
        from kehoach.base.messages import render

        return render(self.code, "hint", self.params, lang) or None

    def __str__(self) -> str:
        return self.message("vi")


class UsageError(KehoachError):
    """The command was asked for something it cannot do as asked (exit 2)."""

    exit_code = EXIT_USAGE


# os.<name> in the catalogue
OS_REASONS = ("EACCES", "EPERM", "ENOENT", "ENOTDIR", "EISDIR", "EROFS", "ENOSPC", "EEXIST")


class NotRegularFile(OSError):
    """The path names a device, a pipe, a socket or a folder: kehoach never writes over one."""


class WriteError(UsageError):
    """A file could not be written: the path, and the system's reason in words."""

    def __init__(self, path: str | os.PathLike[str], exc: OSError):
        import errno

        from kehoach.base.messages import Msg

        name = errno.errorcode.get(exc.errno or 0, "")
        detail: object = (Msg("os.not-regular") if isinstance(exc, NotRegularFile)
                          else Msg(f"os.{name}") if name in OS_REASONS else (exc.strerror or str(exc)))
        super().__init__("write-failed", {"path": str(path), "detail": detail})


class LogError(KehoachError):
    """A write to a user's file was refused (an entry, a form's rows, a fix); nothing was
    written. `diagnostics` say why."""
