"""The single error type for user mistakes.

Every mistake a user can make (bad YAML, a wrong type, a missing file) surfaces as a
`UserError` that knows where it happened, so the CLI can print one line and exit 2
instead of a traceback.
"""

from __future__ import annotations

import re

# File names and key paths come from user input: a newline in either must not split the
# one-line message.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class UserError(Exception):
    """A problem with user input, with enough location to find it.

    `file` is the input file (or "<stdin>"), `path` the key path inside the document
    (e.g. "storage.files.0.mode"), `line`/`column` are 1-based when known.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        path: str | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.path = path
        self.line = line
        self.column = column

    def with_file(self, file: str) -> UserError:
        """Return this error with `file` filled in when it was not known yet."""
        if self.file is None:
            self.file = file
        return self

    def __str__(self) -> str:
        where = []
        if self.file:
            loc = self.file
            if self.line is not None:
                loc += f":{self.line}"
                if self.column is not None:
                    loc += f":{self.column}"
            where.append(loc)
        elif self.line is not None:
            where.append(f"line {self.line}" + (f":{self.column}" if self.column else ""))
        if self.path:
            where.append(self.path)
        prefix = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", ": ".join(where))
        # One line, always: a user error must never spill over several lines.
        text = " ".join(self.message.split())
        return f"{prefix}: {text}" if prefix else text
