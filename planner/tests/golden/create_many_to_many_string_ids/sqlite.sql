CREATE TABLE "Course" (
    "code" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    PRIMARY KEY ("code")
);
CREATE TABLE "Student" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    PRIMARY KEY ("id")
);
CREATE TABLE "_comon_orm_m2m__Q291cnNl__c3R1ZGVudHM__U3R1ZGVudA__Y291cnNlcw" (
    "A" TEXT NOT NULL,
    "B" TEXT NOT NULL,
    PRIMARY KEY ("A", "B"),
    FOREIGN KEY ("A") REFERENCES "Course"("code") ON DELETE CASCADE ON UPDATE CASCADE,
    FOREIGN KEY ("B") REFERENCES "Student"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "_comon_orm_m2m__Q291cnNl__c3R1ZGVudHM__U3R1ZGVudA__Y291cnNlcw_B_idx" ON "_comon_orm_m2m__Q291cnNl__c3R1ZGVudHM__U3R1ZGVudA__Y291cnNlcw" ("B");
