"""The application's QtCore objects, no widgets: settings, the task runner, the practice session, take analysis, the spoken cue. Widgets (ui/) use these; these never import ui/."""
