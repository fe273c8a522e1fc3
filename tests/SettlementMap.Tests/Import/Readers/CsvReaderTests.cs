using System.Text;
using NetTopologySuite.Geometries;
using SettlementMap.Tests.Import.Fixtures;
using SettlementMap.Web.Features.Import;

namespace SettlementMap.Tests.Import.Readers;

public sealed class CsvReaderTests : ReaderTestBase
{
    private static readonly Encoding Utf8 = new UTF8Encoding(false);

    [Fact]
    public async Task Reads_a_comma_csv_with_a_wkt_column_and_keeps_values_as_written()
    {
        var path = ImportFixtures.Csv(Folder, "code,name,population,WKT\n70017,Novi Sad,\"341,625\",POINT (19.8335 45.2671)\n70018,Zrenjanin,,\"POLYGON Z ((20 45 1, 20 46 1, 21 46 1, 20 45 1))\"\n", Utf8);

        var (description, rows) = await ReadAllAsync(path);

        Assert.Equal("CSV", description.Format);
        Assert.Equal(["code", "name", "population", "WKT"], description.Columns);
        Assert.True(description.HasGeometry);
        Assert.Equal("utf-8", description.Encoding);
        Assert.Null(description.Crs);
        Assert.Equal(2, rows.Count);
        Assert.Equal(1, rows[0].Number);
        Assert.Equal("341,625", rows[0].Values["population"]);
        Assert.Null(rows[1].Values["population"]);
        var point = Assert.IsType<Point>(rows[0].Geometry);
        Assert.Equal(19.8335, point.X); // x = longitude
        Assert.Equal(45.2671, point.Y);
        Assert.Equal(1, rows[1].Geometry!.Coordinate.Z); // 3D stays 3D, for the pipeline to report
    }

    [Fact]
    public async Task Reads_semicolons_with_lon_lat_columns_and_decimal_commas()
    {
        var path = ImportFixtures.Csv(Folder, "Šifra;Naziv;Geografska_Dužina;Geografska širina\n70017;Čačak;20,3497;43,8914\n", Utf8);

        var (description, rows) = await ReadAllAsync(path);

        Assert.Equal(["Šifra", "Naziv", "Geografska_Dužina", "Geografska širina"], description.Columns);
        var point = Assert.IsType<Point>(Assert.Single(rows).Geometry);
        Assert.Equal(20.3497, point.X, 10);
        Assert.Equal(43.8914, point.Y, 10);
        Assert.Equal("Čačak", rows[0].Values["Naziv"]);
    }

    [Fact]
    public async Task An_excel_sep_line_names_the_delimiter_and_is_not_the_header()
    {
        var path = ImportFixtures.Csv(Folder, "sep=;\nnaziv;opis\nUb;grad, opština\n", Utf8);

        var (description, rows) = await ReadAllAsync(path);

        Assert.Equal(["naziv", "opis"], description.Columns);
        Assert.Equal("grad, opština", Assert.Single(rows).Values["opis"]);
    }

    [Fact]
    public async Task Utf8_with_a_byte_order_mark_reads_the_first_header_without_it()
    {
        var path = ImportFixtures.Csv(Folder, "naziv;lat;lon\nБеоград;44.8176;20.4573\n", Utf8, byteOrderMark: true);

        var (description, rows) = await ReadAllAsync(path);

        Assert.Equal("naziv", description.Columns[0]);
        Assert.Equal("Београд", rows[0].Values["naziv"]);
        Assert.Equal(20.4573, ((Point)rows[0].Geometry!).X); // lon column found after lat
    }

    [Fact]
    public async Task Tab_separated_utf16_from_excel_unicode_text_is_read()
    {
        var path = ImportFixtures.Csv(Folder, "naziv\tbroj\r\nНиш\t260237\r\n", new UnicodeEncoding(false, true), byteOrderMark: true, fileName: "export.txt");

        var (description, rows) = await ReadAllAsync(path);

        Assert.Equal(["naziv", "broj"], description.Columns);
        Assert.Equal("utf-16", description.Encoding);
        Assert.Equal("Ниш", rows[0].Values["naziv"]);
        Assert.False(description.HasGeometry);
        Assert.Null(rows[0].Geometry);
    }

    [Theory]
    [InlineData(1250, "windows-1250", "Čačak;Šabac;Đurđevo")]
    [InlineData(1251, "windows-1251", "Чачак;Шабац;Ђурђево")]
    public async Task A_declared_windows_code_page_is_honoured(int codePage, string name, string names)
    {
        var path = ImportFixtures.Csv(Folder, "a;b;c\n" + names + "\n", Encoding.GetEncoding(codePage));

        var (description, rows) = await ReadAllAsync(path, new ImportReadOptions(Encoding: name));

        Assert.Equal(name, description.Encoding);
        Assert.Equal(names.Split(';'), new[] { rows[0].Values["a"], rows[0].Values["b"], rows[0].Values["c"] });
    }

    [Fact]
    public async Task An_undeclared_windows_1251_file_is_refused_with_advice_instead_of_mojibake()
    {
        var path = ImportFixtures.Csv(Folder, "naziv;broj\nЧачак;1\n", ImportFixtures.Windows1251);

        var refusal = await RefusedAsync(path);

        Assert.Contains("not UTF-8", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("windows-1251", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_utf8_late_in_the_file_is_refused_when_opening()
    {
        var text = "naziv;broj\n" + string.Concat(Enumerable.Range(1, 2000).Select(i => $"Naselje {i};{i}\n"));
        var path = ImportFixtures.Csv(Folder, text, Utf8);
        File.AppendAllText(path, "Čačak;1\n", ImportFixtures.Windows1250);

        var refusal = await Assert.ThrowsAsync<ImportFileException>(() => OpenAsync(path));

        Assert.Contains("windows-1250", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ragged_rows_are_refused_naming_the_line()
    {
        var path = ImportFixtures.Csv(Folder, "a;b;c\n1;2;3\n4;5\n7;8;9\n", Utf8);

        var refusal = await RefusedAsync(path);

        Assert.Contains("Line 3", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("2 fields", refusal.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("\n\n", "empty")]
    [InlineData("a;b;c\n", "no data rows")]
    [InlineData("a;b;A\n1;2;3\n", "\"a\" 2 times")]
    [InlineData("a;;c\n1;2;3\n", "Column 2")]
    [InlineData("a;b;\n1;2;\n", "at the end of the line")]
    public async Task Bad_headers_and_empty_files_are_refused(string text, string reason)
    {
        var path = ImportFixtures.Csv(Folder, text, Utf8);

        var refusal = await RefusedAsync(path);

        Assert.Contains(reason, refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unreadable_geometry_is_a_row_problem_not_a_file_refusal()
    {
        var path = ImportFixtures.Csv(Folder, "id;wkt;x\n1;POINT (20 44);\n2;POINT (20 oops);\n3;;\n", Utf8);

        var (_, rows) = await ReadAllAsync(path);

        Assert.NotNull(rows[0].Geometry);
        Assert.Null(rows[1].Geometry);
        Assert.Contains("WKT", rows[1].GeometryError, StringComparison.Ordinal);
        Assert.Null(rows[2].Geometry); // an empty cell: no geometry, no error
        Assert.Null(rows[2].GeometryError);
    }

    [Fact]
    public async Task Unparsable_coordinates_are_row_problems()
    {
        var path = ImportFixtures.Csv(Folder, "lon,lat\n20.1,44.2\nabc,44\n21,\n", Utf8);

        var (_, rows) = await ReadAllAsync(path);

        Assert.NotNull(rows[0].Geometry);
        Assert.Contains("\"abc\" is not a number", rows[1].GeometryError, StringComparison.Ordinal);
        Assert.Contains("latitude (northing) is empty", rows[2].GeometryError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Geometry_columns_named_by_the_user_are_used()
    {
        var path = ImportFixtures.Csv(Folder, "istok;sever;naziv\n7457000;4963000;Beograd\n", Utf8);

        var (description, rows) = await ReadAllAsync(path, new ImportReadOptions(LonColumn: "Istok", LatColumn: "sever"));

        Assert.True(description.HasGeometry);
        var point = (Point)rows[0].Geometry!;
        Assert.Equal((7457000d, 4963000d), (point.X, point.Y));
    }

    [Fact]
    public async Task A_named_geometry_column_missing_from_the_file_is_refused_listing_the_columns()
    {
        var path = ImportFixtures.Csv(Folder, "a;b\n1;2\n", Utf8);

        var refusal = await RefusedAsync(path, new ImportReadOptions(WktColumn: "geometry"));

        Assert.Contains("\"geometry\"", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("a, b", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gauss_Kruger_x_and_y_are_read_as_northing_and_easting_when_only_that_way_fits_Serbia()
    {
        var path = ImportFixtures.Csv(Folder, "naziv;X;Y\nBeograd;4963000.5;7457000.25\n", Utf8);

        var (description, rows) = await ReadAllAsync(path);

        var point = (Point)rows[0].Geometry!;
        Assert.Equal(7457000.25, point.X); // easting
        Assert.Equal(4963000.5, point.Y);
        Assert.Contains("northings", description.CrsNote, StringComparison.Ordinal);
    }

    [Fact]
    public async Task X_and_y_that_fit_as_written_are_not_swapped()
    {
        var path = ImportFixtures.Csv(Folder, "naziv,x,y\nBeograd,457091.4,4962831.6\n", Utf8);

        var (description, rows) = await ReadAllAsync(path);

        Assert.Equal(457091.4, ((Point)rows[0].Geometry!).X);
        Assert.Null(description.CrsNote);
    }

    [Fact]
    public async Task An_unknown_encoding_name_is_refused()
    {
        var path = ImportFixtures.Csv(Folder, "a\n1\n", Utf8);

        var refusal = await RefusedAsync(path, new ImportReadOptions(Encoding: "klingon"));

        Assert.Contains("\"klingon\"", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hundred_thousand_rows_stream_through_without_being_held()
    {
        var path = ImportFixtures.LargeCsv(Folder, 100_000);

        await using var source = await OpenAsync(path);
        long count = 0;
        long withGeometry = 0;
        await foreach (var row in source.ReadRowsAsync(CancellationToken.None))
        {
            count++;
            withGeometry += row.Geometry is null ? 0 : 1;
        }

        Assert.Equal(100_000, count);
        Assert.Equal(100_000, withGeometry);
    }
}
