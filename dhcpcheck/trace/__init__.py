"""Follow each DHCP message across capture points: match its copies, estimate
the clock offsets between captures, order the points, find where it was lost.

`follow` does it all; `points` turns arguments and frames into points.
"""
