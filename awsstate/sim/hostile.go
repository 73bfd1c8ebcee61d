package sim

import (
	"fmt"
	"strings"
	"time"
)

// Hostile strings: tag values are attacker-controllable (anyone who can tag
// an instance can put text on the operator's screen), so the hostile
// scenario plants every kind of terminal trick that survives the trip
// through EC2's XML.
//
// XML 1.0 cannot carry ESC, CR or the other C0 controls except tab and
// newline, not even as character references, and the SDK's decoder
// (encoding/xml) rejects a document that tries. So through the XML
// protocols an escape sequence arrives in its 8-bit form: U+009B is CSI and
// U+009D is OSC on terminals that honour C1 controls, U+009C is ST. Bidi
// overrides and isolates reorder what is displayed, zero-width characters
// make two different names look alike, wide CJK characters take two columns
// each, and a 200-character Name tests truncation. Escapes using ESC itself
// can only come through a JSON protocol: ECS names and events carry them
// (HostileESCCSI and its neighbours, hostileECS).
const (
	// HostileCSI clears the screen and paints "PWNED" red (C1 CSI).
	// It is the Cluster tag of cluster-of-two hostile instances and the Name
	// of the Elastic IP on one of them.
	HostileCSI = "\u009b2J\u009b1;31mPWNED\u009b0m"
	// HostileOSC52 writes "hi" to the clipboard (C1 OSC 52 ... ST).
	HostileOSC52 = "\u009d52;c;aGk=\u009c"
	// HostileOSC8 is a hyperlink whose text hides its target.
	HostileOSC8 = "\u009d8;;https://evil.example/\u009cclick-me\u009d8;;\u009c"
	// HostileRLO displays as "green" but is "neerg" after a right-to-left
	// override: a cluster that looks like green and is not.
	HostileRLO = "\u202eneerg"
	// HostileZeroWidth looks exactly like "blue".
	HostileZeroWidth = "blue\u200b"
	// HostileIsolates is blue-web-1 followed by unbalanced bidi isolates
	// that would reorder whatever is printed after it on the line.
	HostileIsolates = "blue-web-1\u2066\u2067\u2068"
	// HostileInvisible is nothing but zero-width characters.
	HostileInvisible = "\u200b\u200c\u200d\u2060\ufeff"
	// HostileWide is wide CJK text, two columns per character.
	HostileWide = "本番サーバー東京リージョン一号機"
	// HostileC1 is every C1 control, U+0080 to U+009F.
	HostileC1 = "\u0080\u0081\u0082\u0083\u0084\u0085\u0086\u0087\u0088\u0089\u008a\u008b\u008c\u008d\u008e\u008f" +
		"\u0090\u0091\u0092\u0093\u0094\u0095\u0096\u0097\u0098\u0099\u009a\u009b\u009c\u009d\u009e\u009f"
)

// The ESC forms, which only JSON (ECS) can carry.
const (
	// HostileESCCSI clears the screen and paints "PWNED" red (ESC [).
	HostileESCCSI = "\x1b[2J\x1b[1;31mPWNED\x1b[0m"
	// HostileESCOSC52 writes "hi" to the clipboard (ESC ] 52 ... BEL).
	HostileESCOSC52 = "\x1b]52;c;aGk=\x07"
	// HostileESCOSC8 is a hyperlink whose text hides its target (ESC ] 8
	// ... ESC \).
	HostileESCOSC8 = "\x1b]8;;https://evil.example/\x1b\\click-me\x1b]8;;\x1b\\"
	// HostileCROverwrite shows "FAILED", then returns to the start of the
	// line, erases it and writes "healthy" in its place.
	HostileCROverwrite = "deployment FAILED\r\x1b[2Kdeployment healthy"
)

// HostileLong is a 200-character Name tag.
const HostileLong = "very-long-instance-name-very-long-instance-name-very-long-instance-name-" +
	"very-long-instance-name-very-long-instance-name-very-long-instance-name-" +
	"very-long-instance-name-very-long-instance-name-very-lon"

// hostileAll is the hostile scenario: the XML forms and the ESC forms.
func hostileAll(r *Region, epoch time.Time) {
	hostile(r, epoch)
	hostileECS(r, epoch)
}

// hostile adds to the demo world's us-east-1, leaving blue and green
// untouched so the stories still play:
//
//	cluster HostileCSI        2 running instances named HostileOSC52 and
//	                          HostileOSC8; an EIP named HostileCSI on the
//	                          first (so the cluster is LIVE)
//	cluster HostileRLO        1 instance named HostileLong
//	cluster HostileZeroWidth  1 instance named HostileIsolates, Role
//	                          HostileInvisible
//	no cluster tag            1 instance named HostileWide, Role HostileC1
//	subnet us-east-1c         Name tag reversed by an RLO
//	security group            named HostileCSI, on every instance above
//	                          (AWS allows only ASCII in group names; an
//	                          endpoint that is not AWS can send anything)
func hostile(r *Region, epoch time.Time) {
	sns := r.subnetIDs()
	if len(sns) == 0 {
		return
	}
	sn := r.Subnets[sns[0]]
	launched := epoch.Add(-3 * time.Hour)
	host := 100
	sg := []GroupRef{{ID: r.newID("sg"), Name: HostileCSI}}
	add := func(tags map[string]string) *Instance {
		host++
		in := &Instance{
			ID:             r.newID("i"),
			ReservationID:  r.newID("r"),
			ImageID:        "ami-0" + r.prefix + "0badc0ffee0000",
			Type:           "t3.nano",
			State:          StateRunning,
			LaunchTime:     launched,
			AZ:             sn.AZ,
			SubnetID:       sn.ID,
			VPCID:          sn.VPCID,
			PrivateIP:      fmt.Sprintf("10.0.%s.%d", strings.Split(sn.CIDR, ".")[2], host),
			Tags:           tags,
			SecurityGroups: sg,
		}
		r.Instances[in.ID] = in
		return in
	}
	pwned := add(map[string]string{clusterTag: HostileCSI, "Name": HostileOSC52, "Role": "web"})
	add(map[string]string{clusterTag: HostileCSI, "Name": HostileOSC8, "Role": "web"})
	add(map[string]string{clusterTag: HostileRLO, "Name": HostileLong})
	add(map[string]string{clusterTag: HostileZeroWidth, "Name": HostileIsolates, "Role": HostileInvisible})
	add(map[string]string{"Name": HostileWide, "Role": HostileC1})

	a := &Address{AllocationID: r.newID("eipalloc"), PublicIP: "203.0.113.66", Tags: map[string]string{"Name": HostileCSI}}
	if r.AccountID != ProdAccountID {
		a.PublicIP = "198.51.100.66"
	}
	r.Addresses[a.AllocationID] = a
	r.Associate(a.AllocationID, pwned.ID)

	for _, sn := range r.Subnets {
		if sn.AZ == "us-east-1c" {
			sn.Tags = map[string]string{"Name": "\u202ec-etavirp-emca"}
		}
	}
	r.touch()
}
