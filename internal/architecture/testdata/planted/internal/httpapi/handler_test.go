package httpapi

// Tests may import anything; this file must not be reported.
import _ "example.com/planted/internal/postgres"
