@allure.label.epic:Audit
Feature: How long the audit log keeps its entries
  The audit log keeps an entry for 400 days unless the studio configures another period; a
  scheduled task removes older entries, and records in the log itself how many it removed. A
  project under legal hold (a dispute, an inquiry) keeps every entry about it, however old, until
  a studio admin lifts the hold.

  Background:
    Given Theo has added 3 tasks to Brightside Agency's project "Harbour Lights"

  Rule: Entries older than the retention period are removed by a scheduled task that records how many it removed

    @local @allure.severity:critical
    Scenario: Of entries made 401, 399 and 1 days ago, only the one older than 400 days is removed
      Given Theo's entries were made 401 days, 399 days and 1 day ago
      When Ada runs the audit retention
      Then the run reports 1 entry removed
      And Ada finds Theo's entries of 399 days and 1 day ago, and not the one of 401 days ago
      And the audit log records that the retention removed 1 entry, keeping entries for 400 days

    @local
    Scenario: A second run removes nothing more
      Given Theo's entries were made 401 days, 399 days and 1 day ago
      And Ada has run the audit retention
      When Ada runs the audit retention again
      Then the run reports 0 entries removed
      And the audit log records that the retention removed 0 entries, keeping entries for 400 days

    @local
    Scenario: A portal configured to keep entries for 30 days removes those older than 30 days
      Given the portal is configured to keep audit entries for 30 days
      And Theo's entries were made 31 days, 29 days and 1 day ago
      When Ada runs the audit retention
      Then the run reports 1 entry removed
      And Ada finds Theo's entries of 29 days and 1 day ago, and not the one of 31 days ago

  Rule: Every entry about a project under legal hold stays, however old, until the hold is lifted

    @local @allure.severity:critical
    Scenario: Old entries about a project under legal hold stay; old entries about another project go
      Given Theo has completed the task "Harbour Lights task 1"
      And Lena has added 1 task to Lumen Creative's project "Northern Lights"
      And every entry of Theo's and Lena's was made 500 days ago
      And Ada has put the project "Harbour Lights" under legal hold because "Dispute with the client"
      When Ada runs the audit retention
      Then the run reports 1 entry removed
      And Ada finds all 4 of Theo's entries, and none of Lena's

    @local
    Scenario: Once the hold is lifted, the next run removes the old entries
      Given every entry of Theo's was made 500 days ago
      And Ada has put the project "Harbour Lights" under legal hold because "Dispute with the client"
      And Ada has lifted the project's legal hold
      When Ada runs the audit retention
      Then the run reports 3 entries removed

    Scenario: Ada reads the project's legal hold, with its reason
      Given Ada has put the project "Harbour Lights" under legal hold because "Dispute with the client"
      When Ada reads the project's legal hold
      Then Ada sees the project under legal hold because "Dispute with the client"

    @negative
    Scenario: Lifting a hold already lifted is answered as no hold, and the log records one lifting
      Given Ada has put the project "Harbour Lights" under legal hold because "Dispute with the client"
      And Ada has lifted the project's legal hold
      When Ada tries to lift the project's legal hold
      Then Ada is told the project has no legal hold
      And the audit log records the project's legal hold lifted once, by Ada

    @negative @security
    Scenario Outline: <person> cannot <action>
      Given <person> is signed in
      When <person> tries to <action>
      Then the portal answers <person> exactly as about a project that never existed
      And the project "Harbour Lights" is not under legal hold

      Examples:
        | person | action                                      |
        | Bea    | put the project under legal hold            |
        | Theo   | put the project under legal hold            |
        | Lena   | put the project under legal hold            |
        | Bea    | read the project's legal hold               |
