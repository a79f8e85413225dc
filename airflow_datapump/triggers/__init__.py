"""Triggers: JobTrigger, which waits on a job in the triggerer without a worker slot."""
