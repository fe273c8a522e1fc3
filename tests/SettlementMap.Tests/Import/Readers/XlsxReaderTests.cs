using SettlementMap.Tests.Import.Fixtures;
using SettlementMap.Web.Features.Import;
using SettlementMap.Web.Features.Import.Readers;

namespace SettlementMap.Tests.Import.Readers;

public sealed class XlsxReaderTests : ReaderTestBase
{
    private static readonly IReadOnlyList<IReadOnlyList<object?>> Attributes =
    [
        ["Šifra", "Naziv", "Stanovnika", "Vodovod", "Popis"],
        ["70017", "Београд", 1197714, true, new DateTime(2022, 10, 1)],
        ["70018", "Čačak", 73217.5, false, null],
        [],
        ["70019", null, null, null, null],
    ];

    [Fact]
    public async Task Reads_the_first_sheet_with_invariant_numbers_iso_dates_and_no_geometry()
    {
        var path = ImportFixtures.Xlsx(Folder, "Naselja", Attributes);

        var (description, rows) = await ReadAllAsync(path);

        Assert.Equal("XLSX", description.Format);
        Assert.Equal("Naselja", description.Layer);
        Assert.False(description.HasGeometry);
        Assert.Null(description.Crs);
        Assert.Equal(["Šifra", "Naziv", "Stanovnika", "Vodovod", "Popis"], description.Columns);
        Assert.Equal([1L, 2L, 4L], rows.Select(r => r.Number)); // data rows; the blank one is skipped, not renumbered
        Assert.Equal("Београд", rows[0].Values["Naziv"]);
        Assert.Equal("1197714", rows[0].Values["Stanovnika"]);
        Assert.Equal("true", rows[0].Values["Vodovod"]);
        Assert.Equal("2022-10-01", rows[0].Values["Popis"]);
        Assert.Equal("73217.5", rows[1].Values["Stanovnika"]);
        Assert.Null(rows[1].Values["Popis"]);
        Assert.Null(rows[2].Values["Naziv"]);
        Assert.All(rows, row => Assert.Null(row.Geometry));
    }

    [Fact]
    public async Task A_named_sheet_is_read_and_a_missing_one_is_refused_listing_the_sheets()
    {
        var path = ImportFixtures.Xlsx(Folder, "book.xlsx", ("Uputstvo", [["Read me"], ["x"]]), ("Podaci", [["code", "value"], ["1", 2]]));

        var (description, rows) = await ReadAllAsync(path, new ImportReadOptions(Sheet: "podaci"));
        var refusal = await RefusedAsync(path, new ImportReadOptions(Sheet: "Data"));

        Assert.Equal("Podaci", description.Layer);
        Assert.Equal("2", Assert.Single(rows).Values["value"]);
        Assert.Contains("no sheet \"Data\"", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("Uputstvo, Podaci", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_header_is_the_first_non_empty_row()
    {
        var path = ImportFixtures.Xlsx(Folder, "List", [[], ["code", "name"], ["1", "Ub"]]);

        var (description, rows) = await ReadAllAsync(path);

        Assert.Equal(["code", "name"], description.Columns);
        Assert.Equal(1, Assert.Single(rows).Number);
        Assert.Equal("Ub", rows[0].Values["name"]);
    }

    [Theory]
    [InlineData("duplicate", "\"code\" 2 times")]
    [InlineData("gap", "Column B")]
    [InlineData("unnamed", "column C, which has no header")]
    [InlineData("header only", "no data rows")]
    public async Task Bad_headers_are_refused(string shape, string reason)
    {
        IReadOnlyList<IReadOnlyList<object?>> rows = shape switch
        {
            "duplicate" => [["code", "Code"], ["1", "2"]],
            "gap" => [["code", null, "name"], ["1", "2", "3"]],
            "unnamed" => [["code", "name"], ["1", "2", "stray"]],
            _ => [["code", "name"]],
        };
        var path = ImportFixtures.Xlsx(Folder, "Sheet1", rows);

        var refusal = await RefusedAsync(path);

        Assert.Contains(reason, refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_damaged_workbook_is_refused()
    {
        var path = ImportFixtures.Xlsx(Folder, "Sheet1", Attributes);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        var refusal = await RefusedAsync(path);

        Assert.Contains("not a readable Excel workbook", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_zip_that_is_not_a_workbook_is_refused()
    {
        var path = ImportFixtures.ZipWithEntry(Folder, "readme.txt", "hello"u8.ToArray(), "fake.xlsx");

        var refusal = await RefusedAsync(path);

        Assert.Contains("not a readable Excel workbook", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_old_xls_workbook_is_refused_with_advice()
    {
        var path = Path.Combine(Folder, "old.xlsx");
        File.WriteAllBytes(path, [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0, 0, 0, 0, 0, 0]);

        var refusal = await RefusedAsync(path);

        Assert.Contains("97-2003", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_workbook_that_is_a_zip_bomb_is_refused_before_excel_reading()
    {
        var path = ImportFixtures.ZipBomb(Folder, 20L * 1024 * 1024, "xl/worksheets/sheet1.xml", "bomb.xlsx");

        var refusal = await RefusedAsync(path);

        Assert.Contains("zip bomb", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_workbook_beyond_the_size_limit_is_refused()
    {
        var path = ImportFixtures.Xlsx(Folder, "Sheet1", Attributes);

        var refusal = await RefusedAsync(path, limits: new ImportLimits(MaxUncompressedBytes: 1000));

        Assert.Contains("unpacks to more than", refusal.Message, StringComparison.Ordinal);
    }
}
