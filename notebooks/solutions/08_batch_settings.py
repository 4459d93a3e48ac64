# The neighbour takes about 10 of the 30 requests a minute. 80 % works although 24 + 10 > 30: the bucket starts
# full (a minute's worth at once), and `observe` lowers our pace whenever the headers show the neighbour's use;
# 67 % is safe too, but finishes after the deadline. With 2 s
# per answer, at least 2 requests must be in flight to keep up with the throttle; more than that does no harm,
# because the throttle, not the concurrency, sets the pace.
MAX_CONCURRENCY = 4
HEADROOM = 0.8
try_settings(MAX_CONCURRENCY, HEADROOM)
