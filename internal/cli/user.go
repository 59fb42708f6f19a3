package cli

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/gradzone/gradzone/internal/app"
	"github.com/gradzone/gradzone/internal/auth"
	"github.com/gradzone/gradzone/internal/domain"
)

func newUser(g *globals) *cobra.Command {
	user := &cobra.Command{Use: "user", Short: "Manage staff accounts"}
	var a domain.StaffAccount
	var role string
	create := &cobra.Command{
		Use:   "create --role R --email E --password P --name N [--zone CODE] [--province NN]",
		Short: "Create a staff account: " + staffRolesHelp(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, log, store, err := g.openStore(cmd)
			if err != nil {
				return err
			}
			defer store.Close()
			a.Role = domain.Role(role)
			accounts := &app.Accounts{Store: store, Hasher: auth.NewHasher(1), Log: log, Now: time.Now}
			u, err := accounts.CreateStaff(cmd.Context(), a)
			if err != nil {
				return describe(err)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "created %s %s (%s)\n", u.Role, u.Email, u.ID)
			return nil
		},
	}
	f := create.Flags()
	f.StringVar(&role, "role", "", domain.RoleList(domain.StaffRoles))
	f.StringVar(&a.Email, "email", "", "email address (the sign-in name)")
	f.StringVar(&a.Password, "password", "", "password, at least 8 characters")
	f.StringVar(&a.Name, "name", "", "display name")
	f.StringVar(&a.ZoneCode, "zone", "", "zone code (zone_admin)")
	f.StringVar(&a.ProvinceCode, "province", "", "two-digit province code (province_admin)")
	for _, req := range []string{"role", "email", "password", "name"} {
		_ = create.MarkFlagRequired(req)
	}
	user.AddCommand(create)
	return user
}

// staffRolesHelp names each staff role with what it needs, from the role
// registry: "zone_admin (--zone), province_admin (--province) or ministry_admin".
func staffRolesHelp() string {
	var parts []domain.Role
	for _, r := range domain.StaffRoles {
		i, _ := r.Info()
		switch {
		case i.NeedsZone:
			r += " (--zone)"
		case i.NeedsProvince:
			r += " (--province)"
		}
		parts = append(parts, r)
	}
	return domain.RoleList(parts)
}

// describe turns a domain error into a readable CLI error.
func describe(err error) error {
	var de *domain.Error
	if !errors.As(err, &de) {
		return err
	}
	if len(de.Fields) == 0 {
		return errors.New(de.Message)
	}
	var parts []string
	for f, r := range de.Fields {
		parts = append(parts, f+": "+r)
	}
	return fmt.Errorf("%s (%s)", de.Message, strings.Join(parts, "; "))
}
