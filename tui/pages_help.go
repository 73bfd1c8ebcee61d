package tui

// withPageHelp adds to the help what the pages need: their keys, after
// the dashboard's, and the columns of each registered page, after the
// Fleet's panes. A page's help lives here beside the registry rather
// than in help.go's one long list.
func withPageHelp(k *keyMap, in *inks, sections []helpSection) []helpSection {
	t := func(term, text string) helpTerm { return helpTerm{term: term, text: text} }
	pageKeys := []helpTerm{t(fleetKey, fleetName+": clusters, Elastic IPs, instances and events (the panes)")}
	for _, spec := range pageRegistry {
		pageKeys = append(pageKeys, t(spec.key, spec.name+pageAbout[spec.name]))
	}
	pageKeys = append(pageKeys,
		t(keysOf(k.Back), "on a page other than Fleet: back to Fleet"),
		t("↑/↓", "on Capacity, Network and Services: choose the group, subnet or service described under the table"),
		t(keysOf(k.Action), "on Capacity: actions on the group (set its desired capacity, suspend or resume Launch and Terminate); on Services: actions on the service (scale it, delete it once at 0, force a new deployment); through the same airlock as the Fleet's"),
		t(keysOf(k.Ack), "on Services: acknowledge the vanished service under the cursor (it leaves the list; otherwise it stays five minutes)"),
		helpTerm{term: "▲ 1 SHORT", ink: &in.Danger, text: "on the page bar: what needs attention on another page (a SHORT group, a LOW subnet, a FAILED rollout, a vanished service), on every page"},
	)
	columns := []helpSection{
		{"Columns of Capacity", []helpTerm{
			t("GROUP", "the Auto Scaling group; SHORT and below-desired groups first"),
			t("WANT", "desired capacity: how many instances the group wants in service"),
			t("IN SVC", "instances in service (lifecycle InService)"),
			t("PEND", "instances launching (Pending)"),
			t("MIN MAX", "the group's minimum and maximum size"),
			{term: "STATE", ink: &in.Danger, text: "SHORT N: N fewer in service than wanted for longer than one refresh, or the latest scaling activity failed; scaling: below desired at this refresh only, launches on their way; ok"},
			t("CHECKS", "the group's members: N FAILED fail a status check, N scheduled have an event AWS scheduled (retirement, reboot); the group described below names them; ?: the status checks could not be fetched; -: no members"),
			t("PREFLIGHT", "would a launch succeed now: FAILED names the missing AMI, security group, instance type offering or addresses under the table; ?: a check could not run; -: not fetched yet"),
			t("TEMPLATE", "the launch template and the version as the group names it ($Latest follows every new version), or a launch configuration"),
			t("below", "the group under the cursor: counts, the latest failed scaling activity's message exactly as AWS wrote it, with its time, and each preflight check"),
		}},
		{"Columns of Network", []helpTerm{
			t("AZ", "availability zone; subnets are listed zone by zone"),
			t("SUBNET", "the subnet ID"),
			t("FREE", "addresses still free in it (AvailableIpAddressCount)"),
			t("TOTAL", "addresses instances can have: the CIDR's size less the five AWS reserves"),
			t("USED", "the share of TOTAL in use"),
			{term: "LOW", ink: &in.Warn, text: "under 16 addresses or 10% free: a cluster or a group scaling out there can run out"},
			t("USED BY", "the groups that launch into it, then the clusters with an instance in it; a group and a cluster of one name are written once, a group with no instance there as \"group NAME\""),
			t("NAME", "the subnet's Name tag"),
		}},
	}
	columns = append(columns, helpSection{"Columns of Services", []helpTerm{
		t("SERVICE", "an ECS cluster, then its services, indented; the cluster's row counts its running and pending tasks and its services"),
		{term: "STATUS", ink: &in.Danger, text: "ACTIVE; DRAINING or INACTIVE: being deleted; vanished: listed by an earlier refresh and not now (deleted by someone), greyed with what it was, until acknowledged (a) or for five minutes"},
		t("WANT", "desired tasks"),
		t("RUN", "running tasks (in the warning colour when fewer than wanted)"),
		t("PEND", "tasks starting"),
		t("LAUNCH", "FARGATE, EC2 or EXTERNAL; -: a capacity provider strategy"),
		t("REV", "the task definition's revision the service runs"),
		{term: "ROLLOUT", ink: &in.Danger, text: "the primary deployment's rollout: IN_PROGRESS, COMPLETED, FAILED (the circuit breaker rolled it back, or it never started)"},
		t("below", "the row under the cursor: counts, task definition, each deployment with its rollout and reason, the latest service events newest first; \"ECS unknown: …\" when the ECS section could not be fetched (the rows are then the last listed)"),
	}})
	out := make([]helpSection, 0, len(sections)+4)
	for _, s := range sections {
		out = append(out, s)
		switch s.title {
		case "Keys on the dashboard":
			out = append(out, helpSection{"Pages (the bar under the banner)", pageKeys})
		case "Columns of Events":
			out = append(out, columns...)
		}
	}
	return out
}

// pageAbout says what each registered page shows, for the help.
var pageAbout = map[string]string{
	"Capacity": ": Auto Scaling groups, desired against in service, SHORT, the latest failure and the launch preflight",
	"Network":  ": subnets by zone, free addresses, LOW, the clusters and groups using each",
	"Services": ": ECS clusters and services, desired against running, rollouts (FAILED), deployments and events, vanished services",
}
