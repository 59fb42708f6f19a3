package domain

import "testing"

// ReadDate takes the dates people write in a workbook, and only real days.
func TestReadDate(t *testing.T) {
	for in, want := range map[string]string{
		"2027-03-01": "2027-03-01", " 2027/3/1 ": "2027-03-01", "2027.03.01": "2027-03-01", "2027年3月1日": "2027-03-01",
		"2028/2/29": "2028-02-29", "2027-3-1": "2027-03-01",
		"2027/2/29": "", "2027/13/1": "", "2027/0/1": "", "27/3/1": "", "03-01-27": "", "2027/3": "", "2027/3/1/2": "", "": "", "明天": "",
	} {
		d, ok := ReadDate(in)
		got := ""
		if ok {
			got = d.String()
		}
		if got != want {
			t.Errorf("ReadDate(%q) = %q, want %q", in, got, want)
		}
	}
}
