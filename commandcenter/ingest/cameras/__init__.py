"""Camera analytics adapters: Frigate's `frigate/events` and Hikvision ISAPI event alerts.

Both turn a camera's own message into `cc.event/1` camera events, using the hall's camera
registry (`resources/cameras.toml`) for the camera's name, position and what its detections mean.
"""
