@allure.label.epic:Operations
Feature: Backups and the restore drill
  The portal backs its data up with one command, and a backup counts only once it has been
  restored: the drill restores it into a throwaway database, checks every table against the
  backup's manifest, starts a second portal on the copy where the same people see the same cuts,
  and throws the copy away. A restore writes only into an empty database marked for the drill, so
  it can never overwrite the portal's own data by mistake, and one that cannot be made whole (an
  archive that is not the one its manifest describes, a restore PostgreSQL refuses halfway) writes
  nothing.

  Background:
    Given Brightside Agency has the cut "Harbour Lights", version 3
    And Theo has added 2 tasks to Brightside Agency's project "Tidewater"
    And an operator has backed the portal up

  Rule: A backup restored into a throwaway database holds the same data, serves the same people, and the copy is thrown away

    @local @allure.severity:critical
    Scenario: The restore drill
      When the operator restores the backup into a throwaway database marked for the drill
      Then every table of the copy holds the rows the backup's manifest counts, with the same checksum
      And the restore took less than the recovery time objective of 5 minutes
      And the restore says when it began and ended, and the time it took is the time between them, within the time the command ran
      And on a second portal started on the copy, Theo sees the cut "Harbour Lights", version 3
      And once the drill is over, the throwaway database is gone

  Rule: A backup uses PostgreSQL's tools of the server's version, found where PostgreSQL installs them

    @local
    Scenario: A scheduler whose PATH holds no PostgreSQL tools still backs the portal up
      When a scheduler whose PATH holds no PostgreSQL tools backs the portal up
      Then the backup and its manifest are written

  Rule: An operator who names the folder of PostgreSQL's tools is taken at their word: only that folder is used

    @local
    Scenario: An operator who points the portal at the folder of PostgreSQL's tools of the server's version backs it up
      When the operator backs the portal up, pointing it at the folder of PostgreSQL's tools of the server's version
      Then the backup and its manifest are written
      And the backup was made with the tools in that folder

    @local @negative
    Scenario: An operator who points the portal at a folder without PostgreSQL's tools is told what was tried and how to fix it, and nothing is written
      When the operator backs the portal up, pointing it at a folder without PostgreSQL's tools
      Then the backup fails, saying it looked for the dump tool in that folder and found none there
      And it says to point the portal at the folder of PostgreSQL's tools of the server's version, or to stop pointing it anywhere
      And nothing is written in the backup folder

  Rule: A project's recovery point counts the newest verified backup

    @local
    Scenario: Right after a backup, Theo sees his project's recovery point covered
      When Theo looks at the project "Tidewater"
      Then Theo sees the project's recovery point covered by the backup just made

  Rule: A restore writes only into an empty database marked for the drill

    @local @negative @allure.severity:critical
    Scenario Outline: A restore into <target> is refused, and nothing is written
      When the operator restores the backup into <target>
      Then the restore is refused because the database <reason>
      And <target> is as it was

      Examples:
        | target                                | reason                         |
        | the portal's own database             | is not marked as a drill target |
        | a new database not marked for a drill | is not marked as a drill target |
        | a drill database that is not empty    | is not empty                    |

  Rule: A restore that cannot be made whole writes nothing, and says why

    @local @negative
    Scenario Outline: A backup whose manifest records a checksum <which> the archive's is not restored
      Given the backup's manifest records a checksum <which> the archive's
      When the operator restores the backup into a throwaway database marked for the drill
      Then the restore fails, saying "the archive's SHA-256 does not match its manifest"
      And the throwaway database is as it was

      Examples:
        | which       |
        | lower than  |
        | higher than |

    @local @negative
    Scenario: A restore that PostgreSQL refuses halfway writes nothing, and says it failed
      Given a throwaway database marked for the drill already holds a sequence named "projects"
      When the operator restores the backup into that database
      Then the restore fails, saying "pg_restore failed"
      And the throwaway database is as it was
