"""Booking (预约挂号): the numbers (号源) of each window, bookings and their state machine, holds for unpaid
fees, cancellation, no-show suspension and the waitlist (候补)."""
