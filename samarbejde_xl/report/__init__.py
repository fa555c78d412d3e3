"""Leader-group report: the xlsx writer with native charts, the politicians' summary and its PDF."""
