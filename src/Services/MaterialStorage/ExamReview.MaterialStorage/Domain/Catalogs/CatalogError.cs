namespace ExamReview.MaterialStorage.Domain.Catalogs;

/// <summary>
/// One thing wrong with a catalog document: where (a JSON path such as <c>$.materialTypes[2].rule.if.fact</c>), what
/// kind of mistake (<see cref="Code"/>, stable: <c>unknown_fact</c>, <c>duplicate_property</c> …) and what to change, in
/// Chinese (<see cref="Message"/>, what operators read) and English.
/// </summary>
public sealed record CatalogError(string Path, string Code, string Message, string MessageEn);

/// <summary>A <see cref="CatalogError"/> as the problem's <c>errors</c> lists it: the message in the client's language.</summary>
public sealed record CatalogErrorView(string Path, string Code, string Message);
