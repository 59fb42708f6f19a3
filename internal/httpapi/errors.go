package httpapi

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/gradzone/gradzone/internal/domain"
)

// statusOf is the one table from error codes to HTTP statuses.
var statusOf = map[domain.Code]int{
	domain.CodeInvalidJSON:        http.StatusBadRequest,
	domain.CodeUnauthenticated:    http.StatusUnauthorized,
	domain.CodeInvalidCredentials: http.StatusUnauthorized,
	domain.CodeTOTPRequired:       http.StatusUnauthorized,
	domain.CodeForbidden:          http.StatusForbidden,
	domain.CodeAccountDisabled:    http.StatusForbidden,
	domain.CodeNotFound:           http.StatusNotFound,
	domain.CodeMethodNotAllowed:   http.StatusMethodNotAllowed,
	domain.CodeTooLarge:           http.StatusRequestEntityTooLarge,
	domain.CodeValidation:         http.StatusUnprocessableEntity,
	domain.CodeRateLimited:        http.StatusTooManyRequests,
	domain.CodeUnavailable:        http.StatusServiceUnavailable,
	domain.CodeInternal:           http.StatusInternalServerError,
	// Every other code is a 409 conflict.
}

type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    domain.Code       `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
}

// writeError answers with the contract's error shape. Internal errors are
// logged with the request ID and shown only as a generic message.
func writeError(c *gin.Context, err error) {
	if domain.ClientGone(c.Request.Context(), err) {
		c.AbortWithStatus(domain.StatusClientGone) // no one reads it; the access log says so
		return
	}
	var de *domain.Error
	if !errors.As(err, &de) {
		loggerOf(c).ErrorContext(c.Request.Context(), "internal error", "request_id", requestID(c), "method", c.Request.Method, "path", c.FullPath(), "err", err)
		de = &domain.Error{Code: domain.CodeInternal, Message: "something went wrong on our side; the request ID identifies it"}
	}
	if de.Code == domain.CodeNotFound && c.FullPath() != "" {
		// A read only a signed-in caller could be answered (a draft, an
		// application), sent with a token that was refused: the token is
		// the answer (401), not "not found" — the client learns to refresh.
		// An ID that is none answers alike, so nothing leaks.
		if v, ok := c.Get(authErrKey); ok {
			var ae *domain.Error
			if err, ok := v.(error); ok && errors.As(err, &ae) && ae.Code == domain.CodeUnauthenticated {
				c.Set(tokenRefusedKey, true)
				de = ae
			}
		}
	}
	if de.Code == domain.CodeUnavailable {
		// Expected while a dependency is down: a warning with the cause,
		// not an error with a stack to chase.
		loggerOf(c).WarnContext(c.Request.Context(), "dependency unavailable", "request_id", requestID(c), "method", c.Request.Method, "path", c.FullPath(), "err", err)
	}
	status, ok := statusOf[de.Code]
	if !ok {
		status = http.StatusConflict
	}
	if de.RetryAfter > 0 {
		c.Header("Retry-After", strconv.Itoa(de.RetryAfter))
	}
	if status == http.StatusUnauthorized {
		c.Header("WWW-Authenticate", authChallenge(c, de.Code))
	}
	c.AbortWithStatusJSON(status, errorBody{Error: errorDetail{Code: de.Code, Message: de.Message, Fields: de.Fields}})
}

// authChallenge is a 401's WWW-Authenticate (RFC 9110 §11.6.1): the Bearer
// scheme, and error="invalid_token" when the bearer token sent was refused
// (RFC 6750 §3), so a client knows to refresh rather than ask for a
// password; a refused refresh token or password says only the scheme.
func authChallenge(c *gin.Context, code domain.Code) string {
	if code == domain.CodeUnauthenticated && c.GetBool(tokenRefusedKey) {
		return `Bearer realm="gradzone", error="invalid_token"`
	}
	return `Bearer realm="gradzone"`
}

// fail records err for the error middleware and stops the chain.
func fail(c *gin.Context, err error) {
	_ = c.Error(err)
	c.Abort()
}

// errorMiddleware writes the last error a handler recorded.
func errorMiddleware(c *gin.Context) {
	c.Next()
	if len(c.Errors) > 0 && !c.Writer.Written() {
		writeError(c, c.Errors.Last().Err)
	}
}

// reply answers v with status, or the error in the contract's shape.
func reply(c *gin.Context, status int, v any, err error) {
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(status, v)
}
