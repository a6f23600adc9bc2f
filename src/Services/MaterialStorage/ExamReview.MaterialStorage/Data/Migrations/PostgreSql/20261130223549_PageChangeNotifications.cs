using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ExamReview.MaterialStorage.Data.Migrations.PostgreSql
{
    /// <summary>
    /// Triggers that NOTIFY material_pages with the candidate whose page a write changed (or '*' for a catalog or an
    /// area's settings, which every page may show). PostgreSQL delivers a notification at commit, once per distinct
    /// payload per transaction, to every instance that listens (Pages/PostgreSqlPageChangeListener): so the candidate
    /// pages held open with Prefer: wait learn of a verdict whichever instance applied it. No model change: SQLite's
    /// one process is told by the saving context instead.
    /// </summary>
    public partial class PageChangeNotifications : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE FUNCTION material_page_changed_by_candidate() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP = 'DELETE' THEN
                        PERFORM pg_notify('material_pages', OLD."CandidateId"::text);
                    ELSE
                        PERFORM pg_notify('material_pages', NEW."CandidateId"::text);
                    END IF;
                    RETURN NULL;
                END $$;

                -- An image's page is its application's candidate's (an image deleted with its application: that row notifies).
                CREATE FUNCTION material_page_changed_by_image() RETURNS trigger LANGUAGE plpgsql AS $$
                DECLARE
                    application uuid;
                    candidate uuid;
                BEGIN
                    IF TG_OP = 'DELETE' THEN
                        application := OLD."ApplicationId";
                    ELSE
                        application := NEW."ApplicationId";
                    END IF;
                    SELECT "CandidateId" INTO candidate FROM "Applications" WHERE "Id" = application;
                    IF candidate IS NOT NULL THEN
                        PERFORM pg_notify('material_pages', candidate::text);
                    END IF;
                    RETURN NULL;
                END $$;

                CREATE FUNCTION material_pages_changed_everywhere() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM pg_notify('material_pages', '*');
                    RETURN NULL;
                END $$;

                CREATE TRIGGER material_page_changed AFTER INSERT OR UPDATE OR DELETE ON "Applications"
                    FOR EACH ROW EXECUTE FUNCTION material_page_changed_by_candidate();
                CREATE TRIGGER material_page_changed AFTER INSERT OR UPDATE OR DELETE ON "CandidateProfiles"
                    FOR EACH ROW EXECUTE FUNCTION material_page_changed_by_candidate();
                CREATE TRIGGER material_page_changed AFTER INSERT OR UPDATE OR DELETE ON "Images"
                    FOR EACH ROW EXECUTE FUNCTION material_page_changed_by_image();
                CREATE TRIGGER material_pages_changed AFTER INSERT OR UPDATE OR DELETE ON "Catalogs"
                    FOR EACH STATEMENT EXECUTE FUNCTION material_pages_changed_everywhere();
                CREATE TRIGGER material_pages_changed AFTER INSERT OR UPDATE OR DELETE ON "AreaSettings"
                    FOR EACH STATEMENT EXECUTE FUNCTION material_pages_changed_everywhere();
                """);
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER material_pages_changed ON "AreaSettings";
                DROP TRIGGER material_pages_changed ON "Catalogs";
                DROP TRIGGER material_page_changed ON "Images";
                DROP TRIGGER material_page_changed ON "CandidateProfiles";
                DROP TRIGGER material_page_changed ON "Applications";
                DROP FUNCTION material_pages_changed_everywhere();
                DROP FUNCTION material_page_changed_by_image();
                DROP FUNCTION material_page_changed_by_candidate();
                """);
        }
    }
}
