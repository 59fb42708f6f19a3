package domain

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func TestTranslateReason(t *testing.T) {
	for _, c := range []struct{ in, zh string }{
		{"is required", "必填"},
		{"must be 1 to 100 characters", "须为 1–100 个字"},
		{"must be from 0 to 1000000 yuan a month", "须在 0–1000000 元/月之间"},
		{"must be from 1 to 1000", "须在 1–1000 之间"},
		{"not a published opening of the event's zone: 0a1b", "不是本园区已发布的岗位：0a1b"},
		{NotTheTemplate("employers", "名录 2026", 1, "序号", "单位名称"),
			"不是单位导入模板：工作表「名录 2026」第 1 列的标题为「序号」，模板此列为「单位名称」（标题行须在前 3 行内；隐藏的工作表不读）"},
		{NotTheTemplate("openings", "Sheet1", 2, "", "岗位名称"),
			"不是岗位导入模板：工作表「Sheet1」第 2 列的标题为「」，模板此列为「岗位名称」（标题行须在前 3 行内；隐藏的工作表不读）"},
		{ImportRepeats(6, ReasonImportRepeatedCode), "与本文件第 6 行重复（同一统一社会信用代码）"},
		// A workbook's limits (internal/excel) read in English on the
		// Chinese site (an import probe).
		{"at most 20000 rows per upload", "每次最多上传 20000 行"},
		{"row 1 has more than 64 columns", "第 1 行超过 64 列"},
		{"cell C2 is longer than 10000 characters", "单元格 C2 超过 10000 个字符"},
		{"the workbook has more than 10000 parts", "工作簿的组成部分超过 10000 个"},
		{"the workbook inflates to more than 64 MB", "工作簿解压后超过 64 MB"},
		{"the workbook has more than 16 sheets", "工作簿超过 16 个工作表"},
		{"the cells hold more than 64 MB of text, a text in many cells counted in each: keep each text in the cells that need it", "单元格的文字合计超过 64 MB（同一段文字出现在多个单元格时按每格计算）：请只在需要的单元格中填写"},
		{"a text of the workbook is longer than 10000 characters", "工作簿中有超过 10000 个字符的文字"},
		{"a number format of the workbook is longer than 255 characters", "工作簿中有超过 255 个字符的数字格式"},
		// A value read from an upload is quoted to its first 50
		// characters (a security probe: 10,000 in every row's reason).
		{NotAChoice(strings.Repeat("甲", 49) + "乙丙"), "「" + strings.Repeat("甲", 49) + "乙…」不是可选的值，请从模板该列的下拉选项中选择"},
		{NotTheTemplate("openings", strings.Repeat("表", 60), 1, strings.Repeat("题", 60), "单位名称"),
			"不是岗位导入模板：工作表「" + strings.Repeat("表", 50) + "…」第 1 列的标题为「" + strings.Repeat("题", 50) + "…」，模板此列为「单位名称」（标题行须在前 3 行内；隐藏的工作表不读）"},
		{"something new", "something new"}, // no translation: the reason itself
	} {
		if got := TranslateReason("zh", c.in); got != c.zh {
			t.Errorf("zh %q = %q, want %q", c.in, got, c.zh)
		}
		if got := TranslateReason("en", c.in); got != c.in {
			t.Errorf("en %q = %q", c.in, got)
		}
	}
}

// TestEveryReasonTranslated reads the code that raises field errors (domain,
// app, postgres, the web UI): every reason it can put in `fields` — a literal
// given to Validation.Check/Add or FieldError, pieces built at run time
// standing for one word — has a line in Reasons.
func TestEveryReasonTranslated(t *testing.T) {
	var files []string
	for _, dir := range []string{".", "../app", "../postgres", "../webui", "../httpapi"} {
		m, _ := filepath.Glob(filepath.Join(dir, "*.go"))
		files = append(files, m...)
	}
	found := 0
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			var name string
			switch fn := call.Fun.(type) {
			case *ast.SelectorExpr:
				name = fn.Sel.Name
			case *ast.Ident:
				name = fn.Name
			}
			var arg ast.Expr
			switch {
			case name == "Check" && len(call.Args) == 3:
				arg = call.Args[2]
			case (name == "Add" || name == "FieldError") && len(call.Args) == 2:
				arg = call.Args[1]
			default:
				return true
			}
			reason, ok := reasonText(arg)
			if !ok {
				return true
			}
			found++
			if !HasReason(reason) {
				t.Errorf("%s: reason %q has no line in domain.Reasons", fset.Position(call.Pos()), reason)
			}
			return true
		})
	}
	if found < 50 {
		t.Fatalf("found only %d reasons: the scan is broken", found)
	}
}

// reasonText renders a reason expression: literals as they are, anything
// computed as one word ("7"). ok is false when e has no string literal.
func reasonText(e ast.Expr) (string, bool) {
	switch x := e.(type) {
	case *ast.BasicLit:
		if x.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(x.Value)
		return s, err == nil
	case *ast.BinaryExpr:
		if x.Op != token.ADD {
			return "", false
		}
		l, lok := reasonText(x.X)
		r, rok := reasonText(x.Y)
		if !lok && !rok {
			return "", false
		}
		if !lok {
			l = "7"
		}
		if !rok {
			r = "7"
		}
		return l + r, true
	}
	return "", false
}

// An uploaded file's name is kept to be shown: its last path element,
// without what does not show, cut to 100 characters.
func TestUploadName(t *testing.T) {
	for in, want := range map[string]string{
		`C:\fakepath\2026年成都单位名录.xlsx`:     "2026年成都单位名录.xlsx",
		"../../etc/passwd":                 "passwd",
		"a\u202eslx.exe\x00.xlsx":          "aslx.exe.xlsx",
		"  名录 .xlsx ":                      "名录 .xlsx",
		strings.Repeat("长", 150) + ".xlsx": strings.Repeat("长", 100),
	} {
		if got := UploadName(in); got != want {
			t.Errorf("UploadName(%q) = %q, want %q", in, got, want)
		}
	}
}
