package tui

// menuLines lists every action for the target; refused ones say why and
// what would have to happen first. It returns the cursor's last line.
func (f *actionFlow) menuLines(l *lines) int {
	k := &l.st.ink
	l.title("Actions on "+f.target, "")
	keep := 0
	for i, it := range f.items {
		status, sk := "refused", &k.Danger
		if it.Available {
			status, sk = "available", &k.Ok
		}
		label := "  " + it.Label
		if i == f.cur {
			label = "▸ " + it.Label
		}
		row := pad(label, max(l.w-len(status)-1, 1), false) + " "
		if i == f.cur {
			l.add(&k.Selected, row+status)
		} else {
			l.out = append(l.out, padStyled(row, l.w-len(status))+sk.render(status))
		}
		for _, r := range it.Refusals {
			l.wrapped(&k.Danger, "   ✗ ", "     ", r.Reason)
			if r.Fix != "" {
				l.wrapped(&k.Faint, "     → ", "       ", r.Fix)
			}
		}
		for _, w := range it.Warnings {
			l.wrapped(&k.Warn, "   ! ", "     ", w)
		}
		if i == f.cur {
			keep = len(l.out) - 1
		}
	}
	l.blank()
	l.wrapped(&k.Faint, " ", " ", "enter checks AWS again and shows what would happen; nothing runs until you type the phrase it asks for")
	if len(f.items) == 0 {
		l.add(&k.Faint, " no action applies here")
	}
	return keep
}
