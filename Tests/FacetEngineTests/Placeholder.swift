// local placeholder, not committed by vision
