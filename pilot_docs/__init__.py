"""pilot-docs: turn a task responsibility table (任务责任分解表) into official documents."""

__version__ = "0.1.0"
