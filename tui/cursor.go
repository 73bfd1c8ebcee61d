package tui

import "strconv"

// cursor is a selection over n rows shown in a window of height rows.
// Its methods keep pos in range and the window on pos.
type cursor struct {
	pos, offset, n int
}

func (c *cursor) setN(n int, height int) {
	c.n = n
	c.clamp(height)
}

func (c *cursor) move(d, height int) {
	c.pos += d
	c.clamp(height)
}

func (c *cursor) to(pos, height int) {
	c.pos = pos
	c.clamp(height)
}

func (c *cursor) clamp(height int) {
	if c.pos >= c.n {
		c.pos = c.n - 1
	}
	if c.pos < 0 {
		c.pos = 0
	}
	if height < 1 {
		height = 1
	}
	if c.pos < c.offset {
		c.offset = c.pos
	}
	if c.pos >= c.offset+height {
		c.offset = c.pos - height + 1
	}
	if c.offset > c.n-height {
		c.offset = c.n - height
	}
	if c.offset < 0 {
		c.offset = 0
	}
}

// window returns the rows [first, last) visible in height rows. It does
// not change the cursor: View must not mutate the model.
func (c cursor) window(height int) (first, last int) {
	cc := c
	cc.clamp(height)
	return cc.offset, min(cc.offset+height, cc.n)
}

// position is the "6-10/300" shown on a title rule when not every row
// fits, so an operator knows there is more below.
func position(first, last, n int) string {
	if n == 0 || (first == 0 && last >= n) {
		return ""
	}
	return strconv.Itoa(first+1) + "-" + strconv.Itoa(last) + "/" + strconv.Itoa(n)
}
