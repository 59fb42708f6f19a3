package domain

import "slices"

// What an operator does to a staff account from the command line
// (`gradzone user reset-password | disable | enable | clear-two-step`).

// CodeAccountDisabled answers a sign-in with the right password to an
// account an operator disabled (403, no tokens). A wrong password still
// answers invalid_credentials, so the code tells nothing to whoever guesses.
const CodeAccountDisabled Code = "account_disabled"

// ErrAccountDisabled is the answer to the right password of a disabled
// account.
var ErrAccountDisabled = &Error{Code: CodeAccountDisabled, Message: "this account has been disabled; ask your administrator to enable it again"}

// The audit kinds of an operator's changes to a staff account. Each is
// written with no actor (the command line is nobody's session) but with
// the operator who ran the command (WithOperator), about the account
// ("user", its ID), in the account's zone and province: the staff who see
// that scope see the line. A staff account made by the seed or by tests'
// fixtures has no user.created line: only `gradzone user create` writes it.
const (
	AuditStaffCreated       = "user.created"
	AuditStaffPasswordReset = "user.password_reset"
	AuditStaffDisabled      = "user.disabled"
	AuditStaffEnabled       = "user.enabled"
	AuditStaffTwoStepClear  = "user.two_step_cleared"
)

// OperatorAuditKinds are those kinds, each labelled in web/i18n.
var OperatorAuditKinds = []string{AuditStaffCreated, AuditStaffPasswordReset, AuditStaffDisabled, AuditStaffEnabled, AuditStaffTwoStepClear}

// OperatorAuditKind reports whether an audit kind is an operator's (its
// missing actor is the command line, not the system).
func OperatorAuditKind(kind string) bool { return slices.Contains(OperatorAuditKinds, kind) }

// OperatorMaxLength is the longest operator name an audit line keeps.
const OperatorMaxLength = 100

// CheckOperator is who ran an operator's command as its audit lines keep
// it ("root@host", "张三"): one line of 1 to OperatorMaxLength characters,
// tidied. Errors: validation_failed on "by".
func CheckOperator(who string) (string, error) {
	var v Validation
	v.Line(&who, 1, OperatorMaxLength, "by", "must be one line of 1 to 100 characters")
	return who, v.Err()
}
