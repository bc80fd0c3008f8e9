"""The one exception the capture layer raises for input it cannot read.

Bugs still raise what they raise; only bad or unreadable input becomes this.
"""


class CaptureError(Exception):
    """A capture that cannot be read on: not a capture, damaged, or cut short.

    ``str()`` is one line for a human and never names the file, which the
    caller knows. ``frames_read`` counts the frames delivered before the
    failure, so a caller can tell a damaged tail from an unreadable file.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.frames_read = 0
