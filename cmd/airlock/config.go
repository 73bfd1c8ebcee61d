package main

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	// Time zones are named in the configuration; a minimal container or a
	// stripped-down laptop may have no zoneinfo, and a valid file must not
	// be refused there.
	_ "time/tzdata"
	"unicode/utf8"

	"github.com/pelletier/go-toml/v2"
	"github.com/pelletier/go-toml/v2/unstable"

	"github.com/airlock-ops/airlock/model"
	"github.com/airlock-ops/airlock/themes"
)

// The configuration file: where it is, how it is read, and every way it
// can be wrong. What it means (environments, policy, tag keys) is
// model.Config's business; this file turns TOML into a model.Config and
// says precisely what is wrong otherwise: file:line:column, what is
// there, what was expected.
//
// Decoding is strict (go-toml's DisallowUnknownFields): a key airlock does
// not know is an error, never ignored, so "enviroment = ..." cannot leave
// a production account without its environment. Values are checked after
// decoding with model's Check functions, each error placed at the value
// it is about by a second pass over the document's syntax tree.

// configPath is where airlock looks for its configuration without
// --config: $XDG_CONFIG_HOME/airlock/config.toml, else
// ~/.config/airlock/config.toml. A relative XDG_CONFIG_HOME is ignored,
// as the XDG base directory specification asks.
func configPath() (string, error) {
	if dir := os.Getenv("XDG_CONFIG_HOME"); filepath.IsAbs(dir) {
		return filepath.Join(dir, "airlock", "config.toml"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("cannot tell where the configuration is: set XDG_CONFIG_HOME or use --config (%w)", err)
	}
	return filepath.Join(home, ".config", "airlock", "config.toml"), nil
}

// loadConfig reads the configuration: the file at path when one was
// given (explicit, --config), which must then exist; else the file at
// configPath, if there is one. No file is no configuration: airlock runs
// without it. A file that is there but cannot be read is an error, not
// an absence: the operator wrote it and expects it to count.
func loadConfig(path string) (model.Config, error) {
	explicit := path != ""
	if !explicit {
		p, err := configPath()
		if err != nil {
			return model.Config{}, err
		}
		path = p
	}
	data, err := os.ReadFile(path)
	if err != nil {
		if !explicit && errors.Is(err, fs.ErrNotExist) {
			return model.Config{}, nil
		}
		return model.Config{}, fmt.Errorf("cannot read the configuration: %w", err)
	}
	return parseConfig(path, data)
}

// configErrors is every problem found in one file, each placed at its
// line and column.
type configErrors []configError

type configError struct {
	file      string
	line, col int // 1-based; 0 when the problem has no one place
	msg       string
}

func (e configError) Error() string {
	if e.line == 0 {
		return e.file + ": " + e.msg
	}
	return fmt.Sprintf("%s:%d:%d: %s", e.file, e.line, e.col, e.msg)
}

func (es configErrors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// reportConfigError prints a configuration problem, one line each, and
// returns exit status 2: the file is input, and bad input is a usage
// error. This happens before the terminal is taken, so it is seen.
func reportConfigError(stderr io.Writer, err error) error {
	var es configErrors
	if !errors.As(err, &es) {
		es = configErrors{{msg: err.Error()}}
	}
	for _, e := range es {
		if e.file == "" {
			fmt.Fprintf(stderr, "airlock: %s\n", e.msg)
			continue
		}
		fmt.Fprintf(stderr, "airlock: %s\n", e)
	}
	return exitError{code: 2}
}

// The file's shape. Pointers tell a key that is absent from one set to
// "": `name = ""` is a mistake to report, not a name to fall back from.
type (
	fileConfig struct {
		Defaults fileDefaults           `toml:"defaults"`
		Accounts map[string]fileAccount `toml:"accounts"`
	}
	fileDefaults struct {
		ClusterTag *string `toml:"cluster_tag"`
		Refresh    *string `toml:"refresh"`
		Theme      *string `toml:"theme"`
		AuditLog   *string `toml:"audit_log"`
		TimeZone   *string `toml:"time_zone"`
	}
	fileAccount struct {
		Name              *string  `toml:"name"`
		Environment       *string  `toml:"environment"`
		Color             *string  `toml:"color"`
		ReadOnly          bool     `toml:"read_only"`
		ProtectedClusters []string `toml:"protected_clusters"`
		ClusterTag        *string  `toml:"cluster_tag"`
	}
)

// What each key takes, for "expected ..." in messages. The tables
// mirror the structs above; TestConfigSchemaMatchesStructs keeps them
// in step.
var (
	rootKeys = []keySpec{
		{"defaults", "a table of defaults ([defaults])"},
		{"accounts", "a table of accounts keyed by 12-digit account ID ([accounts.111122223333])"},
	}
	defaultsKeys = []keySpec{
		{"cluster_tag", `a tag key string, such as "Cluster"`},
		{"refresh", `a duration string, such as "5s"`},
		{"theme", `a theme name string: ` + themeNames()},
		{"audit_log", `a file path string, absolute or starting with "~/"`},
		{"time_zone", `an IANA time zone name string, such as "Europe/Paris" or "UTC"`},
	}
	accountKeys = []keySpec{
		{"name", "a display name string"},
		{"environment", "one of " + model.EnvironmentWords()},
		{"color", `a colour string: "#RRGGBB", "#RGB" or an ANSI colour number "0" to "255"`},
		{"read_only", "true or false"},
		{"protected_clusters", `an array of cluster names, such as ["blue", "green"]`},
		{"cluster_tag", `a tag key string, such as "Cluster"`},
	}
)

type keySpec struct{ name, expect string }

func themeNames() string {
	var names []string
	for _, n := range themes.ThemeNames() {
		names = append(names, strconv.Quote(n))
	}
	return strings.Join(names, ", ")
}

// keysAt returns the keys the table at path may hold, or nil when path
// is not a table of the file's shape.
func keysAt(path []string) []keySpec {
	switch {
	case len(path) == 0:
		return rootKeys
	case len(path) == 1 && path[0] == "defaults":
		return defaultsKeys
	case len(path) == 2 && path[0] == "accounts":
		return accountKeys
	}
	return nil
}

// expectAt says what the value at path should be.
func expectAt(path []string) string {
	if len(path) == 2 && path[0] == "accounts" {
		return "a table of the account's settings ([accounts." + bareOrQuoted(path[1]) + "])"
	}
	if len(path) == 0 {
		return ""
	}
	for _, k := range keysAt(path[:len(path)-1]) {
		if k.name == path[len(path)-1] {
			return k.expect
		}
	}
	return ""
}

// parseConfig reads one configuration file's contents into a
// model.Config, or returns configErrors saying everything that is wrong
// with it (a syntax or type error stops decoding, so it comes alone).
func parseConfig(file string, data []byte) (model.Config, error) {
	// Editors on Windows write a byte order mark; TOML does not allow
	// one, and it is not worth failing over.
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	if !utf8.Valid(data) {
		return model.Config{}, configErrors{{file: file, msg: "the file is not UTF-8 text"}}
	}
	var fc fileConfig
	dec := toml.NewDecoder(bytes.NewReader(data)).DisallowUnknownFields()
	if err := dec.Decode(&fc); err != nil {
		return model.Config{}, decodeErrors(file, data, err)
	}
	idx := indexPositions(data)
	c := &checker{file: file, data: data, idx: idx}
	cfg := c.build(fc)
	if len(c.errs) > 0 {
		// Top to bottom, as the operator will fix them.
		slices.SortStableFunc(c.errs, func(a, b configError) int {
			return cmp.Or(cmp.Compare(a.line, b.line), cmp.Compare(a.col, b.col))
		})
		return model.Config{}, c.errs
	}
	cfg.Path = file
	return cfg, nil
}

var typeMismatch = regexp.MustCompile(`^toml: cannot decode TOML (.+?) into `)

// decodeErrors turns go-toml's errors into ours: a missing key named
// with the keys that are allowed there, a type mismatch with the type
// that was expected (in TOML's words, not Go's), a syntax error as the
// parser says it.
func decodeErrors(file string, data []byte, err error) error {
	var strict *toml.StrictMissingError
	if errors.As(err, &strict) {
		var es configErrors
		for _, de := range strict.Errors {
			line, col := de.Position()
			es = append(es, configError{file, line, runeColumn(data, line, col), unknownKey(de.Key())})
		}
		return es
	}
	var de *toml.DecodeError
	if errors.As(err, &de) {
		line, col := de.Position()
		path := []string(de.Key())
		msg := strings.TrimPrefix(de.Error(), "toml: ")
		if m := typeMismatch.FindStringSubmatch(de.Error()); m != nil {
			msg = fmt.Sprintf("%s: expected %s, got %s", dotted(path), cmp.Or(expectAt(path), "something else"), article(m[1]))
		} else if msg == "cannot store an array table in a map" {
			msg = fmt.Sprintf("%s: expected %s, got an array of tables ([[%s]])", dotted(path), expectAt(path), dotted(path))
		} else {
			msg = "invalid TOML: " + msg
		}
		return configErrors{{file, line, runeColumn(data, line, col), msg}}
	}
	return configErrors{{file: file, msg: err.Error()}}
}

// unknownKey explains a key (or table) the file's shape does not have:
// which one, where, what is allowed there, and the likely intended key.
func unknownKey(path []string) string {
	// Walk down to the first part that is not in the shape: for
	// [accounts.1111.x.y] that is x.
	i := 0
	for ; i < len(path)-1; i++ {
		if !slices.ContainsFunc(keysAt(path[:i]), func(k keySpec) bool { return k.name == path[i] }) &&
			!(i == 1 && path[0] == "accounts") {
			break
		}
	}
	parent, key := path[:i], path[i]
	allowed := keysAt(parent)
	where := "at the top level"
	if len(parent) > 0 {
		where = "in [" + dotted(parent) + "]"
	}
	if len(allowed) == 0 {
		return fmt.Sprintf("unknown key %q %s: %s takes no keys", key, where, dotted(parent))
	}
	names := make([]string, len(allowed))
	for i, k := range allowed {
		names[i] = k.name
	}
	msg := fmt.Sprintf("unknown key %q %s; expected one of: %s", key, where, strings.Join(names, ", "))
	if s := suggest(key, names); s != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", s)
	}
	return msg
}

// suggest returns the allowed key closest to key when it is close enough
// to be a typo (colour for color, enviroment for environment).
func suggest(key string, names []string) string {
	best, bestD := "", 3
	for _, n := range names {
		if d := editDistance(strings.ToLower(key), n); d < bestD {
			best, bestD = n, d
		}
	}
	return best
}

func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// checker builds a model.Config from a decoded file, collecting every
// invalid value with its position, so one run of `config check` lists
// them all.
type checker struct {
	file string
	data []byte
	idx  positions
	errs configErrors
}

// fail records a problem with the value at path (or its key, for a
// missing value or a bad key).
func (c *checker) fail(p position, format string, args ...any) {
	c.errs = append(c.errs, configError{c.file, p.line, runeColumn(c.data, p.line, p.col), fmt.Sprintf(format, args...)})
}

func (c *checker) build(fc fileConfig) model.Config {
	cfg := model.Config{Defaults: c.defaults(fc.Defaults)}
	ids := make([]string, 0, len(fc.Accounts))
	for id := range fc.Accounts {
		ids = append(ids, id)
	}
	// In file order, so errors read top to bottom.
	slices.SortFunc(ids, func(a, b string) int {
		return c.idx.key("accounts", a).offset - c.idx.key("accounts", b).offset
	})
	names := map[string]string{} // lower-case name → the account that has it
	for _, id := range ids {
		fa := fc.Accounts[id]
		a, ok := c.account(id, fa)
		if !ok {
			continue
		}
		if a.Name != "" {
			// Two accounts under one name on the banner is S3 all over
			// again: the name is how the operator tells them apart.
			low := strings.ToLower(a.Name)
			if other, dup := names[low]; dup {
				c.fail(c.idx.value("accounts", id, "name"), "accounts.%s.name: %q is also the name of account %s; each account needs its own name", id, a.Name, other)
			}
			names[low] = id
		}
		if cfg.Accounts == nil {
			cfg.Accounts = map[string]model.Account{}
		}
		cfg.Accounts[id] = a
	}
	return cfg
}

func (c *checker) defaults(fd fileDefaults) model.Defaults {
	var d model.Defaults
	at := func(key string) position { return c.idx.value("defaults", key) }
	if fd.ClusterTag != nil {
		if err := model.CheckClusterTag(*fd.ClusterTag); err != nil {
			c.fail(at("cluster_tag"), "defaults.cluster_tag: %v", err)
		}
		d.ClusterTag = *fd.ClusterTag
	}
	if fd.Refresh != nil {
		r, err := time.ParseDuration(*fd.Refresh)
		if err == nil {
			err = model.CheckRefresh(r)
		} else {
			err = fmt.Errorf("%q is not a duration: expected a number and a unit, such as \"5s\" or \"1m30s\"", *fd.Refresh)
		}
		if err != nil {
			c.fail(at("refresh"), "defaults.refresh: %v", err)
		}
		d.Refresh = r
	}
	if fd.Theme != nil {
		if _, err := themes.Parse(*fd.Theme); err != nil {
			c.fail(at("theme"), "defaults.theme: %v", err)
		}
		d.Theme = *fd.Theme
	}
	if fd.AuditLog != nil {
		p, err := expandHome(*fd.AuditLog)
		if err != nil {
			c.fail(at("audit_log"), "defaults.audit_log: %v", err)
		}
		d.AuditLog = p
	}
	if fd.TimeZone != nil {
		loc, err := loadZone(*fd.TimeZone)
		if err != nil {
			c.fail(at("time_zone"), "defaults.time_zone: %v", err)
		}
		d.TimeZone = loc
	}
	return d
}

// loadZone reads an IANA zone name. "Local" and "" are not names: they
// would mean whatever the machine says, which is what leaving the key
// out already means.
func loadZone(name string) (*time.Location, error) {
	bad := fmt.Errorf("%q is not an IANA time zone: expected a name such as \"Europe/Paris\", \"America/New_York\" or \"UTC\"", name)
	if name == "" || name == "Local" {
		return nil, bad
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, bad
	}
	return loc, nil
}

// expandHome accepts an absolute path or one starting with "~/". A
// relative path would depend on the directory airlock was started in,
// and the audit log must be the same file every time.
func expandHome(p string) (string, error) {
	if rest, ok := strings.CutPrefix(p, "~/"); ok {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("cannot expand ~: %w", err)
		}
		return filepath.Join(home, rest), nil
	}
	if !filepath.IsAbs(p) {
		return "", fmt.Errorf("path %q is relative: expected an absolute path or one starting with \"~/\"", p)
	}
	return filepath.Clean(p), nil
}

func (c *checker) account(id string, fa fileAccount) (model.Account, bool) {
	key := "accounts." + bareOrQuoted(id)
	if err := model.CheckAccountID(id); err != nil {
		c.fail(c.idx.key("accounts", id), "[%s]: %v: expected the 12-digit ID as the table's name, such as [accounts.111122223333]", key, err)
		return model.Account{}, false
	}
	a := model.Account{ID: id, ReadOnly: fa.ReadOnly}
	at := func(k string) position { return c.idx.value("accounts", id, k) }
	if fa.Environment == nil {
		c.fail(c.idx.key("accounts", id), "[%s] has no environment: expected environment = %s", key, model.EnvironmentWords())
	} else if env, ok := model.ParseEnvironment(*fa.Environment); !ok {
		c.fail(at("environment"), "%s.environment: unknown environment %q: expected %s", key, *fa.Environment, model.EnvironmentWords())
	} else {
		a.Env = env
	}
	if fa.Name != nil {
		if err := model.CheckAccountName(*fa.Name); err != nil {
			c.fail(at("name"), "%s.name: %v", key, err)
		}
		a.Name = *fa.Name
	}
	if fa.Color != nil {
		if err := model.CheckColor(*fa.Color); err != nil {
			c.fail(at("color"), "%s.color: %v", key, err)
		}
		a.Color = *fa.Color
	}
	for i, name := range fa.ProtectedClusters {
		if err := model.CheckProtectedCluster(name); err != nil {
			c.fail(c.idx.element(i, "accounts", id, "protected_clusters"), "%s.protected_clusters[%d]: %v", key, i, err)
		}
	}
	a.ProtectedClusters = fa.ProtectedClusters
	if fa.ClusterTag != nil {
		if err := model.CheckClusterTag(*fa.ClusterTag); err != nil {
			c.fail(at("cluster_tag"), "%s.cluster_tag: %v", key, err)
		}
		a.ClusterTag = *fa.ClusterTag
	}
	return a, true
}

// position is a place in the file: 1-based line, byte column, byte
// offset (for ordering).
type position struct{ line, col, offset int }

// positions maps each key path of a document to where its key and its
// value are. go-toml places its own errors; ours come after decoding, so
// this second pass over the syntax tree finds where the offending value
// was written.
type positions struct {
	keys   map[string]position // path → the key's first appearance
	values map[string]position // path → its value (the key when the value has no span of its own)
}

func pathKey(path ...string) string { return strings.Join(path, "\x00") }

func (p positions) key(path ...string) position { return p.keys[pathKey(path...)] }

func (p positions) value(path ...string) position {
	if v, ok := p.values[pathKey(path...)]; ok {
		return v
	}
	return p.key(path...)
}

func (p positions) element(i int, path ...string) position {
	if v, ok := p.values[pathKey(path...)+"\x00["+strconv.Itoa(i)+"]"]; ok {
		return v
	}
	return p.value(path...)
}

// indexPositions walks a document that decoded without error.
func indexPositions(data []byte) positions {
	idx := positions{keys: map[string]position{}, values: map[string]position{}}
	var p unstable.Parser
	p.Reset(data)
	at := func(n *unstable.Node) (position, bool) {
		if n.Raw.Length == 0 && n.Raw.Offset == 0 {
			return position{}, false // containers have no span of their own
		}
		s := p.Shape(n.Raw)
		return position{s.Start.Line, s.Start.Column, s.Start.Offset}, true
	}
	// keyParts records every prefix of a (dotted) key under base and
	// returns the full path.
	keyParts := func(base []string, it unstable.Iterator) ([]string, position) {
		path := slices.Clone(base)
		var last position
		for it.Next() {
			n := it.Node()
			path = append(path, string(n.Data))
			if pos, ok := at(n); ok {
				last = pos
				if _, seen := idx.keys[pathKey(path...)]; !seen {
					idx.keys[pathKey(path...)] = pos
				}
			}
		}
		return path, last
	}
	var keyValue func(base []string, kv *unstable.Node)
	keyValue = func(base []string, kv *unstable.Node) {
		path, keyPos := keyParts(base, kv.Key())
		v := kv.Value()
		if pos, ok := at(v); ok {
			idx.values[pathKey(path...)] = pos
		} else {
			idx.values[pathKey(path...)] = keyPos
		}
		switch v.Kind {
		case unstable.InlineTable:
			it := v.Children()
			for it.Next() {
				keyValue(path, it.Node())
			}
		case unstable.Array:
			it := v.Children()
			for i := 0; it.Next(); i++ {
				if pos, ok := at(it.Node()); ok {
					idx.values[pathKey(path...)+"\x00["+strconv.Itoa(i)+"]"] = pos
				}
			}
		}
	}
	var table []string
	for p.NextExpression() {
		e := p.Expression()
		switch e.Kind {
		case unstable.Table, unstable.ArrayTable:
			table, _ = keyParts(nil, e.Children())
		case unstable.KeyValue:
			keyValue(table, e)
		}
	}
	return idx
}

// runeColumn turns go-toml's byte column into a character column, which
// is what an editor's "go to column" counts.
func runeColumn(data []byte, line, byteCol int) int {
	if line < 1 || byteCol < 1 {
		return byteCol
	}
	lines := bytes.SplitN(data, []byte("\n"), line+1)
	if line > len(lines) {
		return byteCol
	}
	l := lines[line-1]
	if byteCol-1 > len(l) {
		return byteCol
	}
	return utf8.RuneCount(l[:byteCol-1]) + 1
}

// dotted writes a key path as TOML would: a.b."c d".
func dotted(path []string) string {
	parts := make([]string, len(path))
	for i, p := range path {
		parts[i] = bareOrQuoted(p)
	}
	return strings.Join(parts, ".")
}

var bareKey = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

func bareOrQuoted(k string) string {
	if bareKey.MatchString(k) {
		return k
	}
	return strconv.Quote(k)
}

// article puts "a" or "an" before a TOML type name from go-toml.
func article(s string) string {
	if s != "" && strings.ContainsRune("aeiou", rune(s[0])) {
		return "an " + s
	}
	return "a " + s
}
