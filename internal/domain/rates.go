package domain

import "math"

// Percent returns part ÷ whole × 100 rounded to one decimal, or nil when
// whole is 0: the contract's rule for completion rates and shares.
func Percent(part, whole int64) *float64 {
	if whole == 0 {
		return nil
	}
	v := math.Round(float64(part)*1000/float64(whole)) / 10
	return &v
}

// Growth returns (now − before) ÷ before × 100 rounded to one decimal, or nil
// when before is 0: the contract's year-on-year growth.
func Growth(now, before int64) *float64 {
	if before == 0 {
		return nil
	}
	v := math.Round(float64(now-before)*1000/float64(before)) / 10
	return &v
}
