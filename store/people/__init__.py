"""Staff and promoters: PINs, roster, time clock, targets, commission and the ladder."""
