package events

import (
	"errors"
	"fmt"
	"time"

	"github.com/teambition/rrule-go"
)

// Recurrence is the original's (src/entities/Event/utils.ts toRRule): an
// RFC 5545 rule from the event's start — frequency, interval, count or
// until, weekdays and months as bit masks (Sunday 1 … Saturday 64,
// January 1 … December 2048), set position, month day. A rule with
// neither count nor until is no rule: the event happens once. The
// occurrences keep the start's time of day.
type Recurrence struct {
	Recurrent   bool    `json:"recurrent"`
	Frequency   *string `json:"recurrent_frequency"`
	WeekdayMask int     `json:"recurrent_weekday_mask"`
	MonthMask   int     `json:"recurrent_month_mask"`
	Interval    int     `json:"recurrent_interval"`
	Count       *int    `json:"recurrent_count"`
	Until       *int64  `json:"recurrent_until_ms"`
	Setpos      *int    `json:"recurrent_setpos"`
	Monthday    *int    `json:"recurrent_monthday"`
	// Occurrences are the rule's dates (ms), walked once when the event
	// is written (nil: the event's start alone).
	Occurrences []int64 `json:"occurrences_ms,omitempty"`
}

// maxOccurrences bounds an event's occurrences (a rule's count, and the
// dates an until gives).
const maxOccurrences = 500

// frequencies a rule may have. MINUTELY and SECONDLY are refused: with
// filters no date matches, the rule would walk every second of the
// horizon, and no event repeats by the minute.
var frequencies = map[string]rrule.Frequency{
	"YEARLY": rrule.YEARLY, "MONTHLY": rrule.MONTHLY, "WEEKLY": rrule.WEEKLY, "DAILY": rrule.DAILY, "HOURLY": rrule.HOURLY,
}

// horizon bounds how far from its start a rule is walked.
const horizonYears = 10

var weekdays = []rrule.Weekday{rrule.SU, rrule.MO, rrule.TU, rrule.WE, rrule.TH, rrule.FR, rrule.SA}

// check reports what is wrong with a rule a client sent.
func (rc Recurrence) check() error {
	if !rc.Recurrent {
		return nil
	}
	if rc.Frequency == nil {
		return errors.New("a recurrent event needs recurrent_frequency")
	}
	if _, ok := frequencies[*rc.Frequency]; !ok {
		return fmt.Errorf("recurrent_frequency must be one of YEARLY, MONTHLY, WEEKLY, DAILY, HOURLY")
	}
	switch {
	case rc.Interval < 0 || rc.Interval > 1000:
		return errors.New("recurrent_interval must be from 1 to 1000")
	case rc.WeekdayMask < 0 || rc.WeekdayMask > 127:
		return errors.New("recurrent_weekday_mask must be from 0 to 127")
	case rc.MonthMask < 0 || rc.MonthMask > 4095:
		return errors.New("recurrent_month_mask must be from 0 to 4095")
	case rc.Count != nil && (*rc.Count < 1 || *rc.Count > maxOccurrences):
		return fmt.Errorf("recurrent_count must be from 1 to %d", maxOccurrences)
	case rc.Setpos != nil && (*rc.Setpos < -366 || *rc.Setpos > 366 || *rc.Setpos == 0):
		return errors.New("recurrent_setpos must be a position from -366 to 366, not 0")
	case rc.Monthday != nil && (*rc.Monthday < -31 || *rc.Monthday > 31 || *rc.Monthday == 0):
		return errors.New("recurrent_monthday must be a day from -31 to 31, not 0")
	case rc.Count == nil && rc.Until == nil:
		return errors.New("a recurrent event needs recurrent_count or recurrent_until")
	}
	// A rule no date can match would be walked to the year 9999 (rrule
	// checks its end only on a match): by the hour or the day that is
	// millions of steps. Those rules are refused.
	if f := *rc.Frequency; f == "HOURLY" || f == "DAILY" {
		if rc.Setpos != nil && *rc.Setpos != 1 && *rc.Setpos != -1 {
			return errors.New("recurrent_setpos of an hourly or daily rule can only be 1 or -1")
		}
	}
	if rc.Monthday != nil && !rc.monthdayPossible(*rc.Monthday) {
		return errors.New("no month of recurrent_month_mask has the day recurrent_monthday")
	}
	return nil
}

// monthdayPossible: some month the rule allows has the day d (from the
// start, or from the end when negative).
func (rc Recurrence) monthdayPossible(d int) bool {
	days := []int{31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}
	if d < 0 {
		d = -d
	}
	for m, n := range days {
		if (rc.MonthMask == 0 || rc.MonthMask&(1<<m) != 0) && d <= n {
			return true
		}
	}
	return false
}

// dates are the starts (ms) of an event's occurrences: its start alone
// when it has no rule.
func (rc Recurrence) dates(start int64) []int64 {
	if rc.Occurrences != nil {
		return rc.Occurrences
	}
	return rc.walk(start)
}

// walk expands the rule (dates keeps what it gives).
func (rc Recurrence) walk(start int64) []int64 {
	if _, known := frequencies[deref(rc.Frequency)]; !rc.Recurrent || !known || rc.Count == nil && rc.Until == nil {
		return []int64{start}
	}
	dt := time.UnixMilli(start).UTC()
	opt := rrule.ROption{Freq: frequencies[*rc.Frequency], Dtstart: dt, Interval: max(rc.Interval, 1), Count: maxOccurrences}
	if rc.Count != nil {
		opt.Count = min(*rc.Count, maxOccurrences)
	}
	opt.Until = dt.AddDate(horizonYears, 0, 0)
	if rc.Until != nil && time.UnixMilli(*rc.Until).Before(opt.Until) {
		opt.Until = time.UnixMilli(*rc.Until).UTC()
	}
	for i, d := range weekdays {
		if rc.WeekdayMask&(1<<i) != 0 {
			opt.Byweekday = append(opt.Byweekday, d)
		}
	}
	for m := 0; m < 12; m++ {
		if rc.MonthMask&(1<<m) != 0 {
			opt.Bymonth = append(opt.Bymonth, m+1)
		}
	}
	if rc.Setpos != nil {
		opt.Bysetpos = []int{*rc.Setpos}
	}
	if rc.Monthday != nil {
		opt.Bymonthday = []int{*rc.Monthday}
	}
	r, err := rrule.NewRRule(opt)
	if err != nil {
		return []int64{start}
	}
	all := r.All()
	out := make([]int64, 0, len(all))
	for _, t := range all {
		out = append(out, time.Date(t.Year(), t.Month(), t.Day(), dt.Hour(), dt.Minute(), dt.Second(), dt.Nanosecond(), time.UTC).UnixMilli())
	}
	if len(out) == 0 {
		return []int64{start}
	}
	return out
}

// next is the occurrence that has not finished by now (the last one when
// all have).
func (e *Event) next(now int64) int64 {
	ds := e.dates(e.StartAt)
	for _, d := range ds {
		if d+e.Duration > now {
			return d
		}
	}
	return ds[len(ds)-1]
}

// applyRecurrence sets the draft's rule on e.
func (d draft) applyRecurrence(e *Event) error {
	rc := e.Recurrence
	set := func(into *int, v *int) {
		if v != nil {
			*into = *v
		}
	}
	if d.Recurrent != nil {
		rc.Recurrent = *d.Recurrent
	}
	if d.Frequency != nil {
		rc.Frequency = d.Frequency
	}
	set(&rc.WeekdayMask, d.WeekdayMask)
	set(&rc.MonthMask, d.MonthMask)
	set(&rc.Interval, d.Interval)
	if d.Count != nil {
		rc.Count = d.Count
	}
	if d.Setpos != nil {
		rc.Setpos = d.Setpos
	}
	if d.Monthday != nil {
		rc.Monthday = d.Monthday
	}
	if d.Until != nil {
		t, err := time.Parse(time.RFC3339, *d.Until)
		if err != nil {
			return errors.New("recurrent_until must be a date (ISO 8601)")
		}
		ms := t.UnixMilli()
		rc.Until = &ms
	}
	if err := rc.check(); err != nil {
		return err
	}
	rc.Occurrences = nil
	if rc.Recurrent {
		rc.Occurrences = rc.walk(e.StartAt)
	}
	e.Recurrence = rc
	return nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
