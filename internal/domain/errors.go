// Package domain holds gradzone's types, rules and error codes. It imports no
// web framework, ORM or search client: everything else depends on it, not the
// other way round.
package domain

import (
	"errors"
	"fmt"
	"maps"
)

// Code is a machine-readable error code from the contract ("not_found", ...).
type Code string

// The contract's error codes. The HTTP layer maps each to one status.
const (
	CodeInvalidJSON        Code = "invalid_json"
	CodeUnauthenticated    Code = "unauthenticated"
	CodeInvalidCredentials Code = "invalid_credentials"
	CodeForbidden          Code = "forbidden"
	CodeNotFound           Code = "not_found"
	CodeValidation         Code = "validation_failed"
	CodeRateLimited        Code = "rate_limited"
	CodeTooLarge           Code = "payload_too_large"
	CodeMethodNotAllowed   Code = "method_not_allowed"
	CodeInternal           Code = "internal"
	CodeUnavailable        Code = "unavailable"

	// 409 conflicts.
	CodeEmailTaken         Code = "email_taken"
	CodeCreditCodeTaken    Code = "credit_code_taken"
	CodeEmployerUnverified Code = "employer_unverified"
	CodeAlreadyApplied     Code = "already_applied"
	CodeOpeningClosed      Code = "opening_closed"
	CodeInvalidTransition  Code = "invalid_transition"
	CodeAlreadyPlaced      Code = "already_placed"
	CodeOpeningFull        Code = "opening_full"
	CodeEventFull          Code = "event_full"
	CodeAlreadySubmitted   Code = "already_submitted"
	CodeAlreadyRegistered  Code = "already_registered"
	CodeInvalidState       Code = "invalid_state"
	CodeVersionConflict    Code = "version_conflict"
	// CodeLastEmployerUser refuses to erase an employer's last account while
	// it has openings published or under review: applicants would be left
	// with nobody to answer them. Closing them first makes it possible.
	CodeLastEmployerUser Code = "last_employer_user"
)

// Error is the one error type that crosses layers. Message is safe to show to
// the caller; Fields names each invalid input field with a reason.
type Error struct {
	Code    Code
	Message string
	Fields  map[string]string
	// RetryAfter is set for rate limiting, in whole seconds.
	RetryAfter int
}

func (e *Error) Error() string {
	if len(e.Fields) > 0 {
		return fmt.Sprintf("%s: %s %v", e.Code, e.Message, e.Fields)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// Errorf builds an *Error with a formatted message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrNotFound is the generic "does not exist or is outside your scope" error.
// The message never says which, so existence does not leak.
var ErrNotFound = &Error{Code: CodeNotFound, Message: "not found"}

// ErrRefreshReused reports a refresh token used a second time; its whole
// family has been revoked. The store returns it; the use case answers
// unauthenticated and logs the reuse.
var ErrRefreshReused = errors.New("refresh token reused")

// ErrForbidden is returned when the caller's role may not do the action.
var ErrForbidden = &Error{Code: CodeForbidden, Message: "your role may not do this"}

// ErrUnauthenticated is returned for a missing, malformed, expired or revoked token.
var ErrUnauthenticated = &Error{Code: CodeUnauthenticated, Message: "sign in required"}

// CodeOf returns the code of err if it is (or wraps) an *Error, else CodeInternal.
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}

// FieldReason is the reason err gives for field; "" when it gives none.
func FieldReason(err error, field string) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Fields[field]
	}
	return ""
}

// Validation collects field errors; Err returns nil when none were added.
type Validation struct {
	fields map[string]string
}

// Add records reason for field unless the field already has one.
func (v *Validation) Add(field, reason string) {
	if v.fields == nil {
		v.fields = map[string]string{}
	}
	if _, ok := v.fields[field]; !ok {
		v.fields[field] = reason
	}
}

// Check adds reason for field when ok is false.
func (v *Validation) Check(ok bool, field, reason string) {
	if !ok {
		v.Add(field, reason)
	}
}

// Has reports whether field already has an error.
func (v *Validation) Has(field string) bool { _, ok := v.fields[field]; return ok }

// Err returns a validation_failed *Error naming every field, or nil.
func (v *Validation) Err() error {
	if len(v.fields) == 0 {
		return nil
	}
	return &Error{Code: CodeValidation, Message: "some fields are invalid", Fields: v.fields}
}

// WithFields adds fields to a validation error err (nil: none yet): the
// reasons of checks that ran apart (a place looked up in the database, the
// consent beside the form's own rules), so that one answer names every
// wrong field. A field err names already keeps its reason; any other err
// is returned as it is.
func WithFields(err error, fields map[string]string) error {
	if len(fields) == 0 {
		return err
	}
	if err == nil {
		return &Error{Code: CodeValidation, Message: "some fields are invalid", Fields: maps.Clone(fields)}
	}
	var e *Error
	if !errors.As(err, &e) || e.Code != CodeValidation {
		return err
	}
	merged := maps.Clone(fields)
	maps.Copy(merged, e.Fields)
	return &Error{Code: CodeValidation, Message: e.Message, Fields: merged}
}

// FieldError is a shortcut for a validation error on one field.
func FieldError(field, reason string) *Error {
	return &Error{Code: CodeValidation, Message: "some fields are invalid", Fields: map[string]string{field: reason}}
}
