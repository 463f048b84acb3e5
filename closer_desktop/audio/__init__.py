"""Audio in and out through PortAudio (sounddevice). No Qt here: results go out through callbacks.

`sounddevice` is imported lazily (see `devices.load_sounddevice`): importing it initialises
PortAudio, which scans devices (slow) and fails outright when libportaudio2 is missing. The app
must still open in both cases.
"""
