"""The Qt user interface. Widgets render state and forward intents; work happens in workers."""
