namespace ExamReview.Contracts;

/// <summary>
/// The exam areas and sites the platform starts with. Registration owns areas and sites and seeds these; the services
/// that keep copies, to refuse an unknown code without asking Registration, seed the same ones, because a seeded row is
/// never announced (<see cref="ExamAreaChanged"/>). Operators maintain areas and sites afterwards, in Registration.
/// </summary>
public static class StartingPlaces
{
    public static IReadOnlyList<StartingArea> Areas { get; } =
    [
        new("11", "北京考区"),
        new("43", "湖南考区"),
        new("44", "广东考区"),
        new("51", "四川考区"),
    ];

    public static IReadOnlyList<StartingSite> Sites { get; } =
    [
        new("1101", "11", "北京市东城区考点"),
        new("1102", "11", "北京市海淀区考点"),
        new("4301", "43", "长沙市考点"),
        new("4302", "43", "株洲市考点"),
        new("4401", "44", "广州市考点"),
        new("4403", "44", "深圳市考点"),
        new("5101", "51", "成都市考点"),
    ];
}

public sealed record StartingArea(string Code, string Name);

public sealed record StartingSite(string Code, string AreaCode, string Name);
