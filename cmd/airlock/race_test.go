//go:build race

package main

// signalRepeats under the race detector: the signal test drives a binary
// built without it, so repeating it under -race checks nothing new.
const signalRepeats = 3
