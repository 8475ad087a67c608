"""What results and reports show: the result view, the gap report's content, charts, PDF rendering, exports."""
