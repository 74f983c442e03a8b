"""jianbao: compile 工作简报 issue files (YAML) into red-header Word bulletins."""

__version__ = "0.1.0"
