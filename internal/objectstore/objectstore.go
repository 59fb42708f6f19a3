// Package objectstore keeps uploaded files in S3-compatible object storage
// (versitygw locally, MinIO or any S3 in production). It is the only
// importer of minio-go and implements app.FileStore.
package objectstore

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"path"
	"syscall"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/gradzone/gradzone/internal/app"
	"github.com/gradzone/gradzone/internal/config"
	"github.com/gradzone/gradzone/internal/domain"
)

// Store is one bucket.
type Store struct {
	client *minio.Client
	bucket string
	region string
}

var _ app.FileStore = (*Store)(nil)

// Settings are the contract's GRADZONE_S3_* values.
type Settings struct {
	Endpoint  string // http://host:port, https://host[:port] or host[:port] (https)
	Bucket    string
	AccessKey string
	SecretKey string
	Region    string
	// Wait bounds a connection and the wait for an answer's first byte
	// (0: DefaultWait), not the transfer: a hung gateway held a download
	// for as long as its reader waited (an ops probe).
	Wait time.Duration
}

// DefaultWait is how long the store waits to connect, and then for an
// answer to begin.
const DefaultWait = 5 * time.Second

// ErrBucketUnchecked is Open's answer when the gateway could not be
// reached to check the bucket: the store works once the gateway answers
// (serve starts without it; an ops probe's stayed down with it).
var ErrBucketUnchecked = errors.New("s3: the bucket could not be checked: the gateway does not answer")

// FromConfig takes the S3 settings out of the configuration.
func FromConfig(c config.Config) Settings {
	return Settings{Endpoint: c.S3Endpoint, Bucket: c.S3Bucket, AccessKey: c.S3AccessKey, SecretKey: c.S3SecretKey, Region: c.S3Region}
}

// Open connects and creates the bucket when it is missing, so a fresh
// deployment (or a wiped local gateway) needs no manual step. With empty
// keys the client signs nothing (a public or IAM-fronted endpoint).
func Open(ctx context.Context, s Settings) (*Store, error) {
	hostport, secure, err := config.ParseS3Endpoint(s.Endpoint)
	if err != nil {
		return nil, fmt.Errorf("s3 endpoint: %w", err)
	}
	var creds *credentials.Credentials
	if s.AccessKey != "" {
		creds = credentials.NewStaticV4(s.AccessKey, s.SecretKey, "")
	} else {
		creds = credentials.NewStatic("", "", "", credentials.SignatureAnonymous)
	}
	transport, err := minio.DefaultTransport(secure)
	if err != nil {
		return nil, fmt.Errorf("s3 transport: %w", err)
	}
	wait := cmp.Or(s.Wait, DefaultWait)
	transport.DialContext = (&net.Dialer{Timeout: wait, KeepAlive: 30 * time.Second}).DialContext
	transport.ResponseHeaderTimeout = wait
	client, err := minio.New(hostport, &minio.Options{
		Creds:     creds,
		Secure:    secure,
		Region:    s.Region,
		Transport: transport,
		// Path-style (host/bucket/key) works with every S3 implementation
		// and needs no wildcard DNS for bucket subdomains.
		BucketLookup: minio.BucketLookupPath,
		// Two tries: a dropped connection is tried again, and a gateway
		// that does not answer is 503 within two waits, not minio's ten.
		MaxRetries: 2,
	})
	if err != nil {
		return nil, fmt.Errorf("s3 client: %w", err)
	}
	st := &Store{client: client, bucket: s.Bucket, region: s.Region}
	if err := st.ensureBucket(ctx); err != nil {
		if errors.Is(err, domain.ErrUnavailable) {
			return st, fmt.Errorf("%w (%v)", ErrBucketUnchecked, err)
		}
		return nil, err
	}
	return st, nil
}

func (s *Store) ensureBucket(ctx context.Context) error {
	ok, err := s.client.BucketExists(ctx, s.bucket)
	if err != nil {
		return fmt.Errorf("s3 bucket %q: %w", s.bucket, translate(err))
	}
	if ok {
		return nil
	}
	err = s.client.MakeBucket(ctx, s.bucket, minio.MakeBucketOptions{Region: s.region})
	// Another replica starting at the same moment may have made it first.
	if code := minio.ToErrorResponse(err).Code; code == "BucketAlreadyOwnedByYou" || code == "BucketAlreadyExists" {
		return nil
	}
	if err != nil {
		return fmt.Errorf("s3 create bucket %q: %w", s.bucket, translate(err))
	}
	return nil
}

// Bucket is the bucket's name.
func (s *Store) Bucket() string { return s.bucket }

// Put implements app.FileStore.
func (s *Store) Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) error {
	if contentType == "" {
		contentType = "application/octet-stream"
	}
	_, err := s.client.PutObject(ctx, s.bucket, key, r, size, minio.PutObjectOptions{ContentType: contentType})
	// The bucket is gone (a wiped gateway) or was never made (serve started
	// while the gateway was down): made now, and the file put again.
	if seeker, ok := r.(io.Seeker); ok && minio.ToErrorResponse(err).Code == "NoSuchBucket" {
		if err = s.ensureBucket(ctx); err == nil {
			if _, err = seeker.Seek(0, io.SeekStart); err == nil {
				_, err = s.client.PutObject(ctx, s.bucket, key, r, size, minio.PutObjectOptions{ContentType: contentType})
			}
		}
	}
	if err != nil {
		return fmt.Errorf("s3 put %s: %w", key, translate(err))
	}
	return nil
}

// Get implements app.FileStore. The object is read as the caller reads: a
// large file never sits in memory whole.
func (s *Store) Get(ctx context.Context, key string) (io.ReadCloser, app.FileInfo, error) {
	obj, err := s.client.GetObject(ctx, s.bucket, key, minio.GetObjectOptions{})
	if err != nil {
		return nil, app.FileInfo{}, fmt.Errorf("s3 get %s: %w", key, translate(err))
	}
	// GetObject is lazy: Stat makes the request, so a missing key shows here
	// and not in the middle of writing a response.
	info, err := obj.Stat()
	if err != nil {
		_ = obj.Close()
		return nil, app.FileInfo{}, fmt.Errorf("s3 get %s: %w", key, translate(err))
	}
	return objectReader{obj, key}, fileInfo(info), nil
}

// objectReader translates the errors of reading as Get translates its own:
// a gateway that hangs or drops the connection after Stat answered breaks
// off the read, and that is unavailable (503, retry), not a fault (500).
// It offers only Read and Close: a Seek or ReadAt would pass minio's errors
// untranslated.
type objectReader struct {
	obj *minio.Object
	key string
}

func (r objectReader) Read(p []byte) (int, error) {
	n, err := r.obj.Read(p)
	if err != nil && err != io.EOF {
		err = fmt.Errorf("s3 read %s: %w", r.key, translate(err))
	}
	return n, err
}

func (r objectReader) Close() error { return r.obj.Close() }

// Stat implements app.FileStore.
func (s *Store) Stat(ctx context.Context, key string) (app.FileInfo, error) {
	info, err := s.client.StatObject(ctx, s.bucket, key, minio.StatObjectOptions{})
	if err != nil {
		return app.FileInfo{}, fmt.Errorf("s3 stat %s: %w", key, translate(err))
	}
	return fileInfo(info), nil
}

// Delete implements app.FileStore.
func (s *Store) Delete(ctx context.Context, key string) error {
	if err := s.client.RemoveObject(ctx, s.bucket, key, minio.RemoveObjectOptions{}); err != nil {
		if err = translate(err); errors.Is(err, domain.ErrNotFound) {
			return nil
		}
		return fmt.Errorf("s3 delete %s: %w", key, err)
	}
	return nil
}

// PresignGet implements app.FileStore.
func (s *Store) PresignGet(ctx context.Context, key string, ttl time.Duration, downloadName string) (string, error) {
	q := url.Values{}
	if downloadName != "" {
		q.Set("response-content-disposition", domain.Disposition("attachment", downloadName, "download"+path.Ext(downloadName)))
	}
	u, err := s.client.PresignedGetObject(ctx, s.bucket, key, ttl, q)
	if err != nil {
		return "", fmt.Errorf("s3 presign %s: %w", key, err)
	}
	return u.String(), nil
}

// Healthy implements app.FileStore: the bucket answers.
func (s *Store) Healthy(ctx context.Context) error {
	ok, err := s.client.BucketExists(ctx, s.bucket)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("bucket %q is missing", s.bucket)
	}
	return nil
}

// RemoveBucket deletes every object and the bucket itself (tests clean up
// with it).
func (s *Store) RemoveBucket(ctx context.Context) error {
	for obj := range s.client.ListObjects(ctx, s.bucket, minio.ListObjectsOptions{Recursive: true}) {
		if obj.Err != nil {
			return obj.Err
		}
		if err := s.client.RemoveObject(ctx, s.bucket, obj.Key, minio.RemoveObjectOptions{}); err != nil {
			return err
		}
	}
	return s.client.RemoveBucket(ctx, s.bucket)
}

// List returns the keys under prefix.
func (s *Store) List(ctx context.Context, prefix string) ([]string, error) {
	var keys []string
	for obj := range s.client.ListObjects(ctx, s.bucket, minio.ListObjectsOptions{Prefix: prefix, Recursive: true}) {
		if obj.Err != nil {
			return nil, obj.Err
		}
		keys = append(keys, obj.Key)
	}
	return keys, nil
}

func fileInfo(o minio.ObjectInfo) app.FileInfo {
	return app.FileInfo{Key: o.Key, Size: o.Size, ContentType: o.ContentType, Modified: o.LastModified}
}

// translate turns "no such key" into domain.ErrNotFound so that callers can
// answer 404 without knowing S3, and a gateway that cannot be reached, does
// not answer in time, fails on its side or has lost its bucket into
// domain.ErrUnavailable: 503, for the reader to retry (it was 500). Any
// other refusal (access denied: a configuration fault) stays an error
// that is logged and answered 500.
func translate(err error) error {
	var de *domain.Error
	var r minio.ErrorResponse
	var ne net.Error
	switch {
	case err == nil || errors.As(err, &de):
		return err
	case errors.As(err, &r):
		switch {
		case r.Code == "NoSuchBucket":
			return fmt.Errorf("%w (%v)", domain.ErrUnavailable, err)
		case r.Code == "NoSuchKey" || r.Code == "NotFound" || r.StatusCode == http.StatusNotFound:
			return fmt.Errorf("%w (%v)", domain.ErrNotFound, err)
		case r.StatusCode >= http.StatusInternalServerError:
			return fmt.Errorf("%w (%v)", domain.ErrUnavailable, err)
		}
		return err
	case errors.As(err, &ne), errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled),
		errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET):
		return fmt.Errorf("%w (%v)", domain.ErrUnavailable, err)
	}
	return err
}
