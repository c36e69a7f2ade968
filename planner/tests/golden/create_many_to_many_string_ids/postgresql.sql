CREATE TABLE "Course" (
    "code" TEXT NOT NULL,
    "title" TEXT NOT NULL,

    CONSTRAINT "Course_pkey" PRIMARY KEY ("code")
);
CREATE TABLE "Student" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,

    CONSTRAINT "Student_pkey" PRIMARY KEY ("id")
);
CREATE TABLE "_comon_orm_m2m__Q291cnNl__c3R1ZGVudHM__U3R1ZGVudA__Y291cnNlcw" (
    "A" TEXT NOT NULL,
    "B" TEXT NOT NULL,

    CONSTRAINT "_comon_orm_m2m__Q291cnNl__c3R1ZGVudHM__U3R1ZGVudA__Y29_b487ba29" PRIMARY KEY ("A", "B")
);
CREATE INDEX "_comon_orm_m2m__Q291cnNl__c3R1ZGVudHM__U3R1ZGVudA__Y29_8dc6caea" ON "_comon_orm_m2m__Q291cnNl__c3R1ZGVudHM__U3R1ZGVudA__Y291cnNlcw" ("B");
ALTER TABLE "_comon_orm_m2m__Q291cnNl__c3R1ZGVudHM__U3R1ZGVudA__Y291cnNlcw" ADD CONSTRAINT "_comon_orm_m2m__Q291cnNl__c3R1ZGVudHM__U3R1ZGVudA__Y29_3dcd5e29" FOREIGN KEY ("A") REFERENCES "Course"("code") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "_comon_orm_m2m__Q291cnNl__c3R1ZGVudHM__U3R1ZGVudA__Y291cnNlcw" ADD CONSTRAINT "_comon_orm_m2m__Q291cnNl__c3R1ZGVudHM__U3R1ZGVudA__Y29_71c5e27f" FOREIGN KEY ("B") REFERENCES "Student"("id") ON DELETE CASCADE ON UPDATE CASCADE;
