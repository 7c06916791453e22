"""Reading real API usage logs: records per provider format, streaming readers, groups, percentiles, calibration.

Nothing in this package imports Rich; the ``usage`` report module renders what it computes.
"""
