"""Build packets and captures from values, for samples and tests.

Sans-I/O like decode: every builder returns bytes or Frames; writing them to
disk is the caller's business (samples/build.py, the tests).
"""
