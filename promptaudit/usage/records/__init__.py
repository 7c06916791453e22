"""What every usage reader shares: the log file (plain, gzip, stdin), checked values, the normalised record
and the groups of integer counters it is counted into."""
