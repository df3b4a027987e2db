import SluiceCore

/// Ages reported as bands of N years ("30-39"), from an age, a birth date or an ID number.
public enum AgeBand {
    /// The band holding `age`; nil for ages no person has.
    public static func label(age: Int, width: Int) -> String? {
        guard (0...150).contains(age), width >= 1 else { return nil }
        let low = age / width * width
        return width == 1 ? String(low) : "\(low)-\(low + width - 1)"
    }

    /// Completed years between `birth` and `reference`.
    public static func age(born birth: CalendarDate, on reference: CalendarDate) -> Int {
        var years = reference.year - birth.year
        if (reference.month, reference.day) < (birth.month, birth.day) { years -= 1 }
        return years
    }
}
