"""Small modal dialogs of the dispatcher's loop; each is fully usable with the keyboard."""
