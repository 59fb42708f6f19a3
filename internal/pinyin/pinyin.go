// Package pinyin spells Chinese in pinyin (github.com/mozillazg/go-pinyin):
// every reading of each character, for the search index, and the English
// names of Chinese places, for the site in English.
package pinyin

import gopinyin "github.com/mozillazg/go-pinyin"

var args = func() gopinyin.Args {
	a := gopinyin.NewArgs() // plain syllables, no tones
	a.Heteronym = true      // 都 is dou and du: 成都 must give chengdu
	return a
}()

// Readings returns the readings of each Han character of s, its most usual
// first, as plain syllables without tones; other characters are skipped.
func Readings(s string) [][]string { return gopinyin.Pinyin(s, args) }
