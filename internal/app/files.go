package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	"os"
	"path"
	"path/filepath"
	"time"

	"github.com/gradzone/gradzone/internal/domain"
)

// FileStore keeps uploaded files (résumés, attachments) outside the serving
// machine, so every replica sees every file. internal/objectstore implements
// it over S3; the use cases see only this. A missing key is reported as
// domain.ErrNotFound (wrapped), so it reaches the caller as 404.
type FileStore interface {
	// Put stores size bytes from r under key, replacing any earlier object.
	Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) error
	// Get streams the object; the caller closes the reader.
	Get(ctx context.Context, key string) (io.ReadCloser, FileInfo, error)
	// Stat describes the object without reading it.
	Stat(ctx context.Context, key string) (FileInfo, error)
	// Delete removes the object; a missing one is not an error.
	Delete(ctx context.Context, key string) error
	// PresignGet returns a URL that downloads the object without
	// credentials until ttl has passed. Issue it only after the caller's
	// right to the file was checked; downloadName, if set, is the file name
	// the browser saves under.
	PresignGet(ctx context.Context, key string, ttl time.Duration, downloadName string) (string, error)
	// Healthy reports whether the store answers (for /readyz).
	Healthy(ctx context.Context) error
}

// FileInfo describes a stored file.
type FileInfo struct {
	Key         string
	Size        int64
	ContentType string
	Modified    time.Time
}

// ResumeKey is where the résumé stored under file (the graduates.resume_file
// value, a random name) lives in the object store. Upload, download and the
// move of local files all use it, so they agree.
func ResumeKey(file string) string { return "resumes/" + path.Base(file) }

// Resume returns the PDF of a graduate's résumé if the caller may read it:
// the graduate, or an employer while the graduate has an application to one
// of its openings that is not withdrawn (Store.ResumeFile). Every read by an
// employer is recorded, and the graduate sees it (ResumeViews); a read that
// cannot be recorded is not served. It is read from the object store
// (ResumeKey) when one is configured; a file uploaded before the store
// existed is still found in the old upload folder until `gradzone files
// migrate-local` moves it. A file recorded but found in neither is not_found
// too. Errors: not_found.
func (s *Service) Resume(ctx context.Context, c domain.Caller, graduateID string) ([]byte, error) {
	data, err := s.readResume(ctx, c, graduateID)
	if err != nil {
		return nil, err
	}
	if c.Role == domain.RoleEmployer {
		if err := s.Store.RecordResumeView(ctx, c, graduateID); err != nil {
			return nil, err
		}
	}
	return data, nil
}

// CheckResume is Resume without recording a read, for a request that
// sends no file (HEAD): the same checks and the same answer.
func (s *Service) CheckResume(ctx context.Context, c domain.Caller, graduateID string) ([]byte, error) {
	return s.readResume(ctx, c, graduateID)
}

func (s *Service) readResume(ctx context.Context, c domain.Caller, graduateID string) ([]byte, error) {
	name, err := s.Store.ResumeFile(ctx, c, graduateID)
	if err != nil {
		return nil, err
	}
	if s.Files != nil {
		if r, _, err := s.Files.Get(ctx, ResumeKey(name)); err == nil {
			defer r.Close()
			return io.ReadAll(io.LimitReader(r, domain.MaxResumeBytes+1))
		} else if !errors.Is(err, domain.ErrNotFound) {
			return nil, err
		}
	}
	data, err := os.ReadFile(filepath.Join(s.UploadDir, filepath.Base(name)))
	if err != nil {
		return nil, domain.ErrNotFound
	}
	return data, nil
}

// MoveReport counts what MoveLocalResumes did.
type MoveReport struct {
	Moved   int // uploaded, verified and removed from disk
	Already int // the bucket held the same bytes already; local copy removed
	Skipped int // not a regular file (folders, links): left alone
	Bytes   int64
}

// MoveLocalResumes moves every résumé file in dir (the old
// GRADZONE_UPLOAD_DIR, where files are named by the random value kept in
// graduates.resume_file) into the file store under ResumeKey, so replicas
// without that disk can serve them. A local file is removed only after the
// store reports an object of the same size under its key, so a run stopped
// half-way loses nothing and simply runs again.
func MoveLocalResumes(ctx context.Context, dir string, fs FileStore, log *slog.Logger) (MoveReport, error) {
	var rep MoveReport
	entries, err := os.ReadDir(dir)
	if err != nil {
		return rep, fmt.Errorf("upload folder: %w", err)
	}
	for _, e := range entries {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		if !e.Type().IsRegular() {
			rep.Skipped++
			continue
		}
		p := filepath.Join(dir, e.Name())
		fi, err := e.Info()
		if err != nil {
			return rep, err
		}
		key := ResumeKey(e.Name())
		if have, err := fs.Stat(ctx, key); err == nil && have.Size == fi.Size() {
			rep.Already++
		} else {
			if err := putFile(ctx, fs, key, p, fi.Size()); err != nil {
				return rep, err
			}
			got, err := fs.Stat(ctx, key)
			if err != nil || got.Size != fi.Size() {
				return rep, fmt.Errorf("verify %s after upload: size %d, want %d (%v)", key, got.Size, fi.Size(), err)
			}
			rep.Moved++
			rep.Bytes += fi.Size()
		}
		if err := os.Remove(p); err != nil {
			return rep, err
		}
		log.Debug("moved résumé", "file", e.Name(), "key", key)
	}
	return rep, nil
}

func putFile(ctx context.Context, fs FileStore, key, path string, size int64) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	// Résumés were accepted as PDF only; the type matters to the browser
	// that later downloads through a presigned URL.
	ct := mime.TypeByExtension(filepath.Ext(path))
	if ct == "" {
		ct = "application/pdf"
	}
	if err := fs.Put(ctx, key, f, size, ct); err != nil {
		return fmt.Errorf("upload %s: %w", path, err)
	}
	return nil
}

// ReadUpload reads an uploaded form file, at most limit+1 bytes, so a caller
// with a limit can tell a file over it by its length. The API and the pages
// read uploads alike through it.
func ReadUpload(fh *multipart.FileHeader, limit int64) ([]byte, error) {
	f, err := fh.Open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, limit+1))
}
