"""Operators: ExportOperator and ImportOperator, which submit a job and wait for it."""
