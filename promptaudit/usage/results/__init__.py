"""From counted groups to what is printed: money per price class, summaries, percentiles, before/after
comparisons, and the measured traffic ``project --calibrate`` uses."""
