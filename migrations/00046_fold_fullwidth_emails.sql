-- +goose Up
-- Addresses are printable ASCII, and sign-in folds the full-width forms an
-- input method types (ＬＩ＠ＱＱ．ＣＯＭ) to ASCII before it looks an account
-- up. An account stored with full-width characters before that rule could
-- no longer be reached: its address is folded the same way, unless the
-- folded address is another account's (those stay as they are, for staff
-- to settle with their owners; none is lost).
UPDATE users u
SET email = f.folded
FROM (
    SELECT id, lower(translate(email, '！＂＃＄％＆＇（）＊＋，－．／０１２３４５６７８９：；＜＝＞？＠ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ［＼］＾＿｀ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ｛｜｝～。｡', '!"#$%&''()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\]^_`abcdefghijklmnopqrstuvwxyz{|}~..')) AS folded
    FROM users
    WHERE email ~ '[！-～。｡]'
) f
WHERE u.id = f.id
  AND f.folded ~ '^[!-~]+$'
  AND NOT EXISTS (SELECT 1 FROM users o WHERE o.email = f.folded)
  AND NOT EXISTS (SELECT 1 FROM users o WHERE o.id <> f.id AND lower(translate(o.email, '！＂＃＄％＆＇（）＊＋，－．／０１２３４５６７８９：；＜＝＞？＠ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ［＼］＾＿｀ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ｛｜｝～。｡', '!"#$%&''()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\]^_`abcdefghijklmnopqrstuvwxyz{|}~..')) = f.folded AND o.id < f.id);

-- +goose Down
-- The folded addresses are the accounts' addresses now: nothing to undo.
SELECT 1;
