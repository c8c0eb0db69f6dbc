"""The routing engine: pure functions over a compiled Timetable (numpy only)."""
