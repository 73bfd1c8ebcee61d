//go:build !race

package main

// signalRepeats is how many times in a row each signal is sent in each
// state (see TestSignalsEndTheDashboard).
const signalRepeats = 20
