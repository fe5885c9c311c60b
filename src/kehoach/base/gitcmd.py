"""git run on a repository that may have come from outside the office (a plan folder copied with
its `.git`): its own settings never get to run a command or reach the network."""

from __future__ import annotations

import os

# Command-line settings outrank the repository's: no file-system monitor or hook, no transport (a
# "partial clone" would fetch a missing object, through the repository's own ssh command), no pager.
_SAFE = ("-c", "core.fsmonitor=false", "-c", "core.hooksPath=/dev/null", "-c", "protocol.allow=never",
         "-c", "core.sshCommand=false", "-c", "core.pager=cat", "-c", "credential.helper=")


def git_argv(*args: str) -> list[str]:
    """`git ARGS` with the repository's command-running settings turned off."""
    return ["git", *_SAFE, *args]


def git_env() -> dict[str, str]:
    """The environment for git: no lazy fetch of a missing object (git ≥ 2.44), no prompt, no
    pager, no ssh command from the caller's environment either."""
    env = dict(os.environ)
    for name in ("GIT_SSH", "GIT_SSH_COMMAND", "GIT_PROXY_COMMAND", "GIT_EXTERNAL_DIFF", "GIT_PAGER"):
        env.pop(name, None)
    env.update({"GIT_NO_LAZY_FETCH": "1", "GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0"})
    return env
